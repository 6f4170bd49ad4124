// The warnings of LANGUAGE.md section 10 (the field's known traps), in a fixed order.
import type { CheckedModel } from '../check/model.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { bceUnboundedOutput } from './bce-unbounded-output.js';
import { doubleOutputActivation } from './double-output-activation.js';
import { gaussianWithoutKl } from './gaussian-without-kl.js';
import { mixedReductions } from './mixed-reductions.js';
import { overcompleteCode } from './overcomplete-code.js';
import { parameterCount } from './parameter-count.js';
import { reversedArguments } from './reversed-arguments.js';
import { reluNarrowCode } from './relu-narrow-code.js';
import { longRecurrenceRule } from './long-recurrence.js';
import type { LintContext, LintRule } from './rule.js';
import { unusedHead } from './unused-head.js';
import { unusedLayerName } from './unused-layer-name.js';

export type { LintContext, LintRule } from './rule.js';

export const lintRules: readonly LintRule[] = Object.freeze([
  overcompleteCode,
  gaussianWithoutKl,
  bceUnboundedOutput,
  reluNarrowCode,
  unusedHead,
  unusedLayerName,
  parameterCount,
  mixedReductions,
  reversedArguments,
  doubleOutputActivation,
  longRecurrenceRule,
]);

/** Cap per model: a badly broken model should not drown its real errors in warnings. */
export const MAX_LINT_WARNINGS = 50;

export function runLints(model: CheckedModel, context: LintContext): Diagnostic[] {
  // A loop, not flatMap: this runs for every model of a file, and flatMap's flattening was most of
  // what the lints cost a small model in a fresh process. Rules only read, so none is run past the cap.
  // Index loops: a for-of over each rule's warnings made an iterator per rule per model.
  const warnings: Diagnostic[] = [];
  for (let r = 0; r < lintRules.length && warnings.length < MAX_LINT_WARNINGS; r++) {
    const found = lintRules[r]!.check(model, context);
    for (let w = 0; w < found.length; w++) warnings.push(found[w]!);
  }
  return warnings.length > MAX_LINT_WARNINGS ? warnings.slice(0, MAX_LINT_WARNINGS) : warnings;
}
