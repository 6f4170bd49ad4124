// The settings of a `train` phase (LANGUAGE.md section 8), one handler each. A handler reads the
// value, reports what is wrong with it, and writes what it means into the phase being built.
import type { Expression } from '../../../grammar/ast.js';
import { diagnostic } from '../../../diagnostics/diagnostic.js';
import { message } from '../../../diagnostics/message.js';
import type { IRPhase } from '../../../ir/types.js';
import { unknownWord } from '../values.js';
import { asCall, bindOptions, nonNegative, nonNegativeInteger, positiveInteger, type SettingContext } from './options.js';
import { lowerDataSource } from './sources.js';
import { lowerOptimizer } from './optimizers.js';

export type PhaseDraft = Omit<IRPhase, 'name' | 'objective'>;

type SettingHandler = (value: Expression, phase: PhaseDraft, context: SettingContext) => void;

function needs(what: string, setting: string, value: Expression, context: SettingContext): void {
  context.diagnostics.push(diagnostic('AE4102', message('AE4102', { what: `\`${setting}\``, expected: what }), value.range));
}

function integerSetting(setting: 'epochs' | 'batch' | 'seed'): SettingHandler {
  const check = setting === 'seed' ? nonNegativeInteger : positiveInteger;
  return (value, phase, context) => {
    const number = context.model.evaluateConstant(value);
    const problem = check(typeof number === 'number' ? number : Number.NaN);
    if (problem === undefined) phase[setting] = number as number;
    else {
      const got = typeof number === 'string' ? ` (got the string ${JSON.stringify(number)})` : '';
      context.diagnostics.push(diagnostic('AE4102', message('AE4102', { what: `\`${setting}\``, expected: `${problem}${got}` }), value.range));
    }
  };
}

function dataSetting(role: 'data' | 'validate'): SettingHandler {
  return (value, phase, context) => {
    const call = asCall(value);
    if (!call) return needs('a data source such as `mnist(split = "train")`', role, value, context);
    const source = lowerDataSource(call, role, context);
    if (source) phase[role] = source;
  };
}

/** Stages with parameters and the model's own names: what `freeze = [...]` may list. `corrupt` and
 *  `output` hold no parameters, and a head is frozen by its name (the word `head` is a keyword). */
function freezeTargets(context: SettingContext): string[] {
  const { model } = context;
  return ['encoder', 'latent', 'decoder', ...model.heads.map((h) => h.name), ...model.layerNames.map((l) => l.name)];
}

export const settingHandlers: Readonly<Record<string, SettingHandler>> = Object.freeze({
  data: dataSetting('data'),
  validate: dataSetting('validate'),
  optimizer: (value, phase, context) => {
    const call = asCall(value);
    if (!call) return needs('an optimizer such as `adam(lr = 1e-3)`', 'optimizer', value, context);
    const lowered = lowerOptimizer(call, context);
    if (!lowered) return;
    phase.optimizer = lowered.optimizer;
    if (lowered.lrSchedule) phase.lrSchedule = lowered.lrSchedule;
    else delete phase.lrSchedule;
  },
  epochs: integerSetting('epochs'),
  batch: integerSetting('batch'),
  seed: integerSetting('seed'),
  schedule: (value, phase, context) => {
    const call = asCall(value);
    if (!call) return needs('a schedule such as `greedy(epochs = 5)`', 'schedule', value, context);
    if (call.name !== 'greedy') {
      context.diagnostics.push(unknownWord('AE4105', message('AE4105', { kind: 'schedule', name: call.name }), call.name, call.nameRange, ['greedy']));
      return;
    }
    const options = bindOptions(call, [{ name: 'epochs', kind: 'number', check: positiveInteger }], context);
    if (options) phase.schedule = { kind: 'greedy', epochs: (options.epochs as number | undefined) ?? 0 };
  },
  freeze: (value, phase, context) => {
    const names = value.kind === 'ListExpression' ? value.elements : [value];
    const targets = freezeTargets(context);
    for (const name of names) {
      if (name.kind !== 'NameRef') needs('a list of stages or layer names, e.g. `[encoder]`', 'freeze', name, context);
      else if (!targets.includes(name.name)) {
        context.diagnostics.push(
          unknownWord('AE4107', `cannot freeze \`${name.name}\`: it is neither a stage nor a layer name`, name.name, name.range, targets, [
            'freeze lists stages (`encoder`, `latent`, `decoder`, `head`) or `as` names of layers and heads',
          ]),
        );
      } else if (!phase.freeze.includes(name.name)) phase.freeze.push(name.name);
    }
  },
  early_stop: (value, phase, context) => {
    if (value.kind === 'BooleanLiteral' && !value.value) return void delete phase.earlyStop;
    const patience = context.model.evaluateConstant(value);
    if (typeof patience === 'number') {
      if (positiveInteger(patience)) return needs('a positive number of epochs (the patience)', 'early_stop', value, context);
      phase.earlyStop = { patience, minDelta: 0, restoreBest: true };
      return;
    }
    const call = asCall(value);
    if (!call || call.name !== 'early_stop') return needs('`early_stop(patience = p)`, a patience in epochs, or `false`', 'early_stop', value, context);
    const options = bindOptions(
      call,
      [
        { name: 'patience', kind: 'number', default: 5, check: positiveInteger },
        { name: 'min_delta', kind: 'number', default: 0, check: nonNegative },
        { name: 'restore_best', kind: 'boolean', default: true },
      ],
      context,
    );
    if (options) phase.earlyStop = { patience: options.patience as number, minDelta: options.min_delta as number, restoreBest: options.restore_best as boolean };
  },
});

export const settingNames = Object.keys(settingHandlers);
