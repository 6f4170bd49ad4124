// Learning-rate schedules, written where the rate is: `adam(lr = cosine(1e-3, min = 1e-5))`. The
// first argument is the starting rate (it becomes the optimizer's `lr`); the schedule itself goes to
// the phase's `lrSchedule`. Every schedule takes `warmup = n`: n epochs whose rate rises linearly to
// the starting rate before the schedule begins. The runtime applies the rate epoch by epoch.
import type { Argument, Expression, NumberLiteral } from '../../../grammar/ast.js';
import { diagnostic } from '../../../diagnostics/diagnostic.js';
import type { LrSchedule } from '../../../ir/types.js';
import { asCall, bindOptions, nonNegative, nonNegativeInteger, positive, positiveInteger, type CallLike, type OptionSpec, type SettingContext } from './options.js';
import { message } from '../../../diagnostics/message.js';

const start: OptionSpec = { name: 'lr', kind: 'number', default: 'required', check: positive };
const warmup: OptionSpec = { name: 'warmup', kind: 'number', default: 0, check: nonNegativeInteger };
const factor: OptionSpec = { name: 'factor', kind: 'number', default: 0.1, check: (v) => (v > 0 && v < 1 ? undefined : 'in (0, 1)') };

const schedules: Record<LrSchedule['kind'], readonly OptionSpec[]> = {
  cosine: [start, { name: 'min', kind: 'number', default: 0, check: nonNegative }, warmup],
  step: [start, { name: 'every', kind: 'number', default: 'required', check: positiveInteger }, factor, warmup],
  plateau: [
    start,
    factor,
    { name: 'patience', kind: 'number', default: 5, check: positiveInteger },
    { name: 'min', kind: 'number', default: 0, check: nonNegative },
    { name: 'min_delta', kind: 'number', default: 0, check: nonNegative },
    warmup,
  ],
};

export const scheduleNames = Object.keys(schedules);

/** The `lr` argument of an optimizer call when it is a schedule: `lr = cosine(...)`, or first by position. */
export function scheduleArgument(call: CallLike): { argument: Argument; schedule: CallLike } | undefined {
  const argument = call.args.find((a) => a.name?.name === 'lr') ?? (call.args[0]?.name === undefined ? call.args[0] : undefined);
  const schedule = argument && argument.value.kind === 'Call' ? asCall(argument.value) : undefined;
  return argument && schedule && scheduleNames.includes(schedule.name) ? { argument, schedule } : undefined;
}

/** The starting rate and the schedule, or undefined after reporting what is wrong. */
export function lowerLrSchedule(call: CallLike, context: SettingContext): { lr: number; schedule: LrSchedule } | undefined {
  const kind = call.name as LrSchedule['kind'];
  const options = bindOptions(call, schedules[kind], context);
  if (!options) return undefined;
  const lr = options.lr as number;
  const minimum = options.min as number | undefined;
  if (minimum !== undefined && minimum > lr) {
    const written = call.args.find((a) => a.name?.name === 'min') ?? call.args[1];
    context.diagnostics.push(diagnostic('AE4102', message('AE4102', { what: `\`${kind}\` option \`min\` (${minimum})`, expected: `at most the starting rate ${lr}` }), written?.value.range ?? call.range));
    return undefined;
  }
  const warm = options.warmup as number;
  switch (kind) {
    case 'cosine':
      return { lr, schedule: { kind, min: minimum!, warmup: warm } };
    case 'step':
      return { lr, schedule: { kind, every: options.every as number, factor: options.factor as number, warmup: warm } };
    case 'plateau':
      return {
        lr,
        schedule: { kind, factor: options.factor as number, patience: options.patience as number, min: minimum!, minDelta: options.min_delta as number, warmup: warm },
      };
  }
}

/** The optimizer's own arguments with the schedule replaced by its starting rate. */
export function withStartingRate(call: CallLike, argument: Argument, lr: number): CallLike {
  const value: NumberLiteral = { kind: 'NumberLiteral', value: lr, raw: String(lr), range: argument.value.range };
  return { ...call, args: call.args.map((a) => (a === argument ? { ...a, value: value as Expression } : a)) };
}
