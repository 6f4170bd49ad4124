// Builds a model, lowers its objective and phases, and runs one lint rule (or all of them).
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { runLints, type LintRule } from '../../compiler/lints/index.js';
import { lowerTraining } from '../../compiler/objective/index.js';
import { buildModel, mnistModel, type ModelSpec } from '../objective/factory.js';

export function lint(rule: LintRule | undefined, spec: ModelSpec, base: 'mnist' | 'bare' = 'mnist'): Diagnostic[] {
  const { model } = base === 'mnist' ? mnistModel(spec) : buildModel(spec);
  const lowered = lowerTraining(model);
  if (lowered.diagnostics.length > 0) throw new Error(`lint test model has errors: ${lowered.diagnostics.map((d) => d.message).join('; ')}`);
  const context = { objective: lowered.objective, phases: lowered.phases };
  return rule ? rule.check(model, context) : runLints(model, context);
}

export { codes } from '../objective/helpers.js';
