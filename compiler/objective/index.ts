// The objective and the training phases of a checked model, lowered to IR terms and phases.
// `lowerTraining` is what the analysis driver calls; the two lowerings are exported for tests and tools.
import type { LossMember, TrainMember } from '../../grammar/ast.js';
import type { CheckedModel } from '../check/model.js';
import { diagnostic, type Diagnostic, type TextEdit } from '../../diagnostics/diagnostic.js';
import type { IRPhase, IRTerm } from '../../ir/types.js';
import { lowerObjective } from './lower-objective.js';
import { lowerPhases, phaseLoss } from './phases/lower-phases.js';

export { lowerObjective } from './lower-objective.js';
export { lowerPhases, phaseDefaults } from './phases/lower-phases.js';
export { lossNames, lossTerms } from './builtins.js';

export interface LoweredTraining {
  objective: IRTerm[];
  phases: IRPhase[];
  diagnostics: Diagnostic[];
}

/** The model's `loss` and `train` members → objective + phases. A model needs a loss unless every
 *  phase brings its own. */
export function lowerTraining(model: CheckedModel): LoweredTraining {
  // The loss and the phases in one pass over the members, not a find and a filter: once per model.
  let loss: LossMember | undefined;
  const trains: TrainMember[] = [];
  for (const member of model.decl.members) {
    if (member.kind === 'LossMember') loss ??= member;
    else if (member.kind === 'TrainMember') trains.push(member);
  }
  let diagnostics: Diagnostic[] = [];
  let objective: IRTerm[] = [];
  if (loss) {
    const lowered = lowerObjective(model, loss.value);
    objective = lowered.terms;
    diagnostics = lowered.diagnostics;
  } else if (trains.length === 0 || trains.some((t) => phaseLoss(t) === undefined)) {
    const target = model.reconstructed?.name ?? 'x';
    const output = model.output?.name ?? 'x_hat';
    diagnostics.push(
      diagnostic('AE4013', `model \`${model.name}\` has no loss`, model.decl.name.range, {
        notes: ['every model needs `loss = ...` (or a `loss` in each `train` phase)'],
        fix: { message: `add \`loss = mse(${output}, ${target})\``, edits: [insertBeforeClosingBrace(model, `  loss = mse(${output}, ${target})\n`)] },
      }),
    );
  }
  const phases = lowerPhases(model, trains, objective);
  for (const d of phases.diagnostics) diagnostics.push(d);
  return { objective, phases: phases.phases, diagnostics };
}

/** An edit that adds a line just before the model's closing `}`. */
function insertBeforeClosingBrace(model: CheckedModel, text: string): TextEdit {
  const end = model.decl.range.end;
  const at = { offset: end.offset - 1, line: end.line, column: Math.max(1, end.column - 1) };
  return { range: { start: at, end: at }, newText: text };
}
