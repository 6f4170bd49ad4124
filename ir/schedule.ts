// The value of a loss coefficient schedule at an epoch: one definition that the runtime (per epoch
// of training) and the exporters read, so the two cannot disagree about what epoch 3 of a ramp is.
import type { IRSchedule, IRTerm } from './types.js';

/** The schedule's value at `epoch` (0-based, counted within its stage). */
export function scheduleValue(schedule: IRSchedule, epoch: number): number {
  const progress = schedule.kind === 'ramp' ? epoch / schedule.epochs : (epoch % schedule.period) / schedule.period / schedule.ramp;
  return schedule.from + (schedule.to - schedule.from) * Math.min(progress, 1);
}

/** The term's coefficient at `epoch`: its schedule's value, or its constant weight. */
export function termWeight(term: IRTerm, epoch: number): number {
  return term.schedule ? scheduleValue(term.schedule, epoch) : term.weight;
}

/** The objective with each scheduled coefficient fixed at its value for `epoch`. */
export function objectiveAtEpoch<T extends IRTerm>(objective: readonly T[], epoch: number): T[] {
  return objective.map((term) => (term.schedule ? { ...term, weight: scheduleValue(term.schedule, epoch) } : term));
}
