// The optimiser update of a training stage, as the plan writes it (`plan[i].update`): the phase's
// optimiser and learning-rate schedule, and the parameters its decoupled weight decay applies to
// (kernels and codebooks, never biases, norm scales or other per-channel terms, as AdamW's usual
// practice). The engines apply what is written: an edited lr or weight decay trains with its value.
import type { IRModel, IRPhase, IRStageUpdate, Optimizer } from './types.js';

/** Roles weight decay applies to. */
const DECAYED_ROLES: ReadonlySet<string> = new Set(['kernel', 'codebook']);

/** Every parameter's role by id: built once per IR, for `stageUpdate`. */
export function parameterRoles(ir: IRModel): ReadonlyMap<string, string> {
  return new Map(ir.parameters.map((p) => [p.id, p.role]));
}

/** The update a stage of `phase` that trains `trainable` (storage ids) applies; `roles`:
 *  parameterRoles(ir), passed in where many stages are planned. */
export function stageUpdate(ir: IRModel, phase: IRPhase, trainable: readonly string[], roles: ReadonlyMap<string, string> = parameterRoles(ir)): IRStageUpdate {
  return {
    optimizer: { ...phase.optimizer },
    decayed: trainable.filter((id) => DECAYED_ROLES.has(roles.get(id) ?? '')),
    ...(phase.lrSchedule ? { lrSchedule: { ...phase.lrSchedule } } : {}),
  };
}

const hyperparameters: { [K in Optimizer['kind']]: readonly string[] } = {
  adam: ['lr', 'beta1', 'beta2', 'epsilon', 'weightDecay'],
  sgd: ['lr', 'momentum', 'weightDecay'],
  rmsprop: ['lr', 'rho', 'momentum', 'epsilon', 'weightDecay'],
};

/** Why a written update cannot be applied, or undefined. Weight decay must name parameters of the
 *  IR (`parameters`); it applies to those the stage trains (an edited `trainable` may drop some). */
export function checkUpdate(update: IRStageUpdate, parameters: ReadonlySet<string>): string | undefined {
  const optimizer = update.optimizer as Optimizer | undefined;
  const names = optimizer ? hyperparameters[optimizer.kind] : undefined;
  if (!optimizer || !names) return `'${String(optimizer?.kind)}' is not an optimizer (one of ${Object.keys(hyperparameters).join(', ')})`;
  const values = optimizer as unknown as Record<string, unknown>;
  const missing = names.find((name) => typeof values[name] !== 'number' || !Number.isFinite(values[name]));
  if (missing) return `the optimizer's ${missing} is ${String(values[missing])}, not a finite number`;
  if (optimizer.lr <= 0) return `the optimizer's lr ${optimizer.lr} is not positive`;
  const negative = names.find((name) => (values[name] as number) < 0);
  if (negative) return `the optimizer's ${negative} ${String(values[negative])} is negative`;
  const extra = Object.keys(optimizer).find((key) => key !== 'kind' && !names.includes(key));
  if (extra) return `${optimizer.kind} has no hyperparameter '${extra}' (it has ${names.join(', ')})`;
  const outside = update.decayed.find((id) => !parameters.has(id));
  if (outside !== undefined) return `weight decay names '${outside}', which is not a parameter`;
  return undefined;
}
