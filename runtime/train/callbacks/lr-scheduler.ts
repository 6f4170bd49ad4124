// Sets the optimiser's learning rate at the start of every epoch from the stage's `lrSchedule` (its
// planned update, ir/stage-update.ts).
import { epochRate, plateauStep, warmupRate, type PlateauState } from '../../optim/lr-schedule.js';
import type { Callback, EpochLogs, LoopContext } from './callback.js';

export class LrScheduler implements Callback {
  readonly stateKey = 'lrSchedule';
  private plateau: PlateauState | null = null;
  private restored: PlateauState | null | undefined;

  state(): PlateauState | null {
    return this.plateau;
  }

  restore(state: unknown): void {
    this.restored = (state as PlateauState | null | undefined) ?? null;
  }

  onStageBegin(context: LoopContext): void {
    const schedule = context.stage.update.lrSchedule;
    this.plateau = this.restored ?? (schedule?.kind === 'plateau' ? { lr: context.optimizer.spec.lr, best: null, wait: 0 } : null);
    this.restored = undefined;
  }

  onEpochBegin(context: LoopContext): void {
    const schedule = context.stage.update.lrSchedule;
    if (!schedule) return;
    const base = context.optimizer.spec.lr;
    context.optimizer.learningRate =
      schedule.kind === 'plateau' ? (warmupRate(schedule, base, context.epoch) ?? this.plateau!.lr) : epochRate(schedule, base, context.epoch, context.stage.epochs);
  }

  onEpochEnd(context: LoopContext, logs: EpochLogs): void {
    const schedule = context.stage.update.lrSchedule;
    if (schedule?.kind !== 'plateau' || context.epoch < schedule.warmup) return;
    this.plateau = plateauStep(schedule, this.plateau!, logs.monitored);
  }
}
