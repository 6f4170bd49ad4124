// `optimizer = adam(lr = 1e-3)`: the optimizers of section 8 with Keras's defaults, so a model
// that names only `adam` trains like the papers' Keras code does.
import type { LrSchedule, Optimizer } from '../../../ir/types.js';
import { lowerLrSchedule, scheduleArgument, withStartingRate } from './lr-schedules.js';
import { unknownWord } from '../values.js';
import { bindOptions, fraction, nonNegative, positive, type CallLike, type OptionSpec, type SettingContext } from './options.js';
import { message } from '../../../diagnostics/message.js';

const lr = (value: number): OptionSpec => ({ name: 'lr', kind: 'number', default: value, check: positive });
const weightDecay: OptionSpec = { name: 'weight_decay', kind: 'number', default: 0, check: nonNegative };
const epsilon: OptionSpec = { name: 'epsilon', kind: 'number', default: 1e-7, check: positive };
const momentum: OptionSpec = { name: 'momentum', kind: 'number', default: 0, check: fraction };

const optimizers: Record<Optimizer['kind'], readonly OptionSpec[]> = {
  adam: [
    lr(1e-3),
    { name: 'beta1', kind: 'number', default: 0.9, check: fraction },
    { name: 'beta2', kind: 'number', default: 0.999, check: fraction },
    epsilon,
    weightDecay,
  ],
  sgd: [lr(1e-2), momentum, weightDecay],
  rmsprop: [lr(1e-3), { name: 'rho', kind: 'number', default: 0.9, check: fraction }, momentum, epsilon, weightDecay],
};

export const optimizerNames = Object.keys(optimizers);

/** The options an optimizer takes, with their defaults (for editors' completion and signature help). */
export function optimizerOptions(name: string): readonly OptionSpec[] | undefined {
  return Object.prototype.hasOwnProperty.call(optimizers, name) ? optimizers[name as Optimizer['kind']] : undefined;
}

export const defaultOptimizer: Optimizer = { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 };

/** The optimizer and, when its `lr` is a schedule (`cosine(...)`, `step(...)`, `plateau(...)`), the schedule. */
export function lowerOptimizer(call: CallLike, context: SettingContext): { optimizer: Optimizer; lrSchedule?: LrSchedule } | undefined {
  if (!Object.hasOwn(optimizers, call.name)) {
    context.diagnostics.push(
      unknownWord('AE4105', message('AE4105', { kind: 'optimizer', name: call.name }), call.name, call.nameRange, optimizerNames, [
        `optimizers: ${optimizerNames.join(', ')}`,
      ]),
    );
    return undefined;
  }
  const kind = call.name as Optimizer['kind'];
  const scheduled = scheduleArgument(call);
  const lowered = scheduled ? lowerLrSchedule(scheduled.schedule, context) : undefined;
  if (scheduled && !lowered) return undefined;
  const options = bindOptions(scheduled && lowered ? withStartingRate(call, scheduled.argument, lowered.lr) : call, optimizers[kind], context);
  if (!options) return undefined;
  const { weight_decay, ...rest } = options;
  const optimizer = { kind, ...rest, weightDecay: weight_decay } as Optimizer;
  return lowered ? { optimizer, lrSchedule: lowered.schedule } : { optimizer };
}
