// The learning rate of each epoch under a phase's `lrSchedule` (IR types.ts says what each kind
// means). Cosine and step are functions of the epoch; plateau depends on the losses seen, so its
// rate is carried from epoch to epoch by the caller (and saved with the checkpoint).
import type { LrSchedule } from '../../ir/types.js';

/** The warm-up rate of `epoch`, or undefined once the warm-up is over. */
export function warmupRate(schedule: LrSchedule, base: number, epoch: number): number | undefined {
  return epoch < schedule.warmup ? (base * (epoch + 1)) / (schedule.warmup + 1) : undefined;
}

/** The rate of `epoch` (0-based) of a stage of `epochs` epochs, for the schedules without state. */
export function epochRate(schedule: Exclude<LrSchedule, { kind: 'plateau' }>, base: number, epoch: number, epochs: number): number {
  const warm = warmupRate(schedule, base, epoch);
  if (warm !== undefined) return warm;
  const t = epoch - schedule.warmup;
  if (schedule.kind === 'step') return base * Math.pow(schedule.factor, Math.floor(t / schedule.every));
  const span = Math.max(1, epochs - schedule.warmup);
  return schedule.min + ((base - schedule.min) * (1 + Math.cos((Math.PI * t) / span))) / 2;
}

export interface PlateauState {
  lr: number;
  best: number | null;
  wait: number;
}

/** After an epoch past the warm-up with monitored loss `loss`: the plateau state for the next epoch. */
export function plateauStep(schedule: Extract<LrSchedule, { kind: 'plateau' }>, state: PlateauState, loss: number): PlateauState {
  if (state.best === null || loss < state.best - schedule.minDelta) return { ...state, best: loss, wait: 0 };
  if (state.wait + 1 < schedule.patience) return { ...state, wait: state.wait + 1 };
  return { lr: Math.max(state.lr * schedule.factor, schedule.min), best: state.best, wait: 0 };
}
