// `train NAME? { ... }` members → IR phases, in order. Settings a phase does not give come from
// the phase before it (so `train finetune { loss = ..., epochs = 10 }` keeps pretrain's optimizer,
// data and batch), and otherwise from the defaults below. What belongs to one phase only, its
// schedule, its freeze list and its loss, is not inherited: a phase without a loss trains the model's.
import type { Expression, TrainMember, TrainSetting } from '../../../grammar/ast.js';
import type { CheckedModel } from '../../check/model.js';
import { diagnostic, type Diagnostic } from '../../../diagnostics/diagnostic.js';
import { message } from '../../../diagnostics/message.js';
import type { IRPhase, IRTerm } from '../../../ir/types.js';
import { lowerObjective } from '../lower-objective.js';
import { unknownWord } from '../values.js';
import { defaultOptimizer } from './optimizers.js';
import { settingHandlers, settingNames, type PhaseDraft } from './settings.js';
import { checkShorthand } from './shorthand.js';

export const phaseDefaults: Readonly<PhaseDraft> = Object.freeze({
  optimizer: defaultOptimizer,
  epochs: 10,
  batch: 128,
  seed: 0,
  freeze: [],
});

/** A copy of the defaults, as `structuredClone` makes it (same keys, same order) for a tenth of its
 *  cost, once per model: the default optimizer is flat (numbers and a word), freeze an empty list. */
function freshDefaults(): PhaseDraft {
  return { ...phaseDefaults, optimizer: { ...phaseDefaults.optimizer }, freeze: [] };
}

export function lowerPhases(model: CheckedModel, trains: TrainMember[], objective: IRTerm[]): { phases: IRPhase[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (trains.length === 0) return { phases: [{ name: 'train', ...freshDefaults(), objective }], diagnostics };

  const phases: IRPhase[] = [];
  const named = new Map<string, TrainMember>();
  let previous: PhaseDraft = phaseDefaults;
  trains.forEach((train, index) => {
    const name = train.name?.name ?? (index === 0 ? 'train' : `train${index + 1}`);
    const first = named.get(name);
    if (first && train.name) {
      diagnostics.push(
        diagnostic('AE4103', `a phase named \`${name}\` already exists`, train.name.range, {
          related: [{ message: 'the first one is here', range: first.name?.range ?? first.range }],
          notes: ['phases run in order; give each a name of its own'],
        }),
      );
    }
    named.set(name, train);
    const { schedule: _schedule, earlyStop, ...inherited } = structuredClone(previous);
    const draft: PhaseDraft = { ...inherited, ...(earlyStop ? { earlyStop } : {}), freeze: [] };
    applySettings(train.settings, draft, { model, diagnostics });
    if (draft.schedule && draft.schedule.epochs === 0) draft.schedule.epochs = draft.epochs;
    const own = phaseLoss(train) ? lowerObjective(model, phaseLoss(train)!) : undefined;
    if (own) diagnostics.push(...own.diagnostics);
    phases.push({ name, ...draft, objective: own ? own.terms : objective });
    previous = draft;
  });
  return { phases, diagnostics };
}

/** The phase-local loss, whether the parser kept it apart or among the settings. */
export function phaseLoss(train: TrainMember): Expression | undefined {
  return train.loss?.value ?? train.settings.find((s) => s.name.name === 'loss' && !s.shorthand)?.value;
}

function applySettings(settings: TrainSetting[], draft: PhaseDraft, context: { model: CheckedModel; diagnostics: Diagnostic[] }): void {
  const seen = new Map<string, TrainSetting>();
  for (const setting of settings) {
    if (setting.recovered) continue;
    const key = setting.name.name;
    const shorthandProblem = setting.shorthand && setting.value.kind === 'Call' ? checkShorthand({ ...setting, value: setting.value }, [...settingNames, 'loss']) : undefined;
    if (shorthandProblem) {
      context.diagnostics.push(shorthandProblem);
      continue;
    }
    if (key === 'loss') continue; // the phase-local loss, lowered by lowerPhases
    const handler = Object.hasOwn(settingHandlers, key) ? settingHandlers[key] : undefined;
    if (!handler) {
      context.diagnostics.push(
        unknownWord('AE4101', message('AE4101', { name: key }), key, setting.name.range, [...settingNames, 'loss'], [
          `settings: ${settingNames.join(', ')}, loss`,
        ]),
      );
      continue;
    }
    const first = seen.get(key);
    if (first) {
      context.diagnostics.push(
        diagnostic('AE4104', `\`${key}\` is set twice in this phase`, setting.name.range, {
          related: [{ message: 'first set here', range: first.name.range }],
        }),
      );
      continue;
    }
    seen.set(key, setting);
    if (!setting.value.recovered) handler(setting.value, draft, context);
  }
}
