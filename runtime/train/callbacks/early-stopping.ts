// `early_stop(patience, min_delta)`: ends a stage when the monitored loss (validation loss, else
// training loss) has not improved by more than min_delta for `patience` epochs.
import type { Callback, EpochLogs, LoopContext } from './callback.js';

export interface EarlyStopState {
  best: number | null;
  wait: number;
}

export class EarlyStopping implements Callback {
  readonly stateKey = 'earlyStop';
  private current: EarlyStopState = { best: null, wait: 0 };
  private restored: EarlyStopState | undefined;
  /** Stages that ended early, by name. */
  readonly stopped: string[] = [];

  state(): EarlyStopState {
    return this.current;
  }

  restore(state: unknown): void {
    this.restored = state as EarlyStopState;
  }

  onStageBegin(): void {
    this.current = this.restored ?? { best: null, wait: 0 };
    this.restored = undefined;
  }

  onEpochEnd(context: LoopContext, logs: EpochLogs): void {
    const settings = context.stage.phase.earlyStop;
    const { best, wait } = this.current;
    const minDelta = settings?.minDelta ?? 0;
    this.current = best === null || logs.monitored < best - minDelta ? { best: logs.monitored, wait: 0 } : { best, wait: wait + 1 };
    if (settings !== undefined && this.current.wait >= settings.patience) {
      context.stopStage = true;
      this.stopped.push(context.stage.name);
    }
  }
}
