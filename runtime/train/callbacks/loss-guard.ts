// Guards every step's loss. A step whose loss (or one of its terms) is NaN or ±Infinity was not
// applied; the run stops there, after a checkpoint of the last good weights. A loss that explodes
// while staying finite (adam or rmsprop at a large rate reach 1e34) stops the run too: more than
// EXPLOSION times the stage's first loss. That step was applied, so no checkpoint is written: the
// last one, from the end of the previous epoch, is the run's last good state.
import { LossExplodedError, NonFiniteLossError } from '../errors.js';
import type { BatchLogs, Callback, LoopContext } from './callback.js';

/** How many times its first value a loss may grow before the run is stopped as diverged. */
export const EXPLOSION = 1e6;
/** A first loss this close to 0 is taken as this, so that tiny noise after it is no "explosion". */
const SMALLEST_REFERENCE = 1e-8;

export class LossGuard implements Callback {
  readonly stateKey = 'lossGuard';
  /** The stage's first finite loss. */
  private first: number | null = null;
  private restored: number | null | undefined;
  /** Whether weights have changed in this run: a step applied, or a checkpoint resumed. */
  private updated = false;

  /** `saveLastGood`: writes a checkpoint of the weights in memory, mid-epoch. */
  constructor(private readonly saveLastGood: (context: LoopContext) => Promise<void>) {}

  state(): { first: number | null } {
    return { first: this.first };
  }

  restore(state: unknown): void {
    this.restored = (state as { first: number | null } | undefined)?.first ?? null;
    this.updated = true;
  }

  onStageBegin(): void {
    this.first = this.restored ?? null;
    this.restored = undefined;
  }

  async onBatchEnd(context: LoopContext, logs: BatchLogs): Promise<void> {
    const { result } = logs;
    if (result.nonFinite) {
      await this.saveLastGood(context);
      throw new NonFiniteLossError(context.stage.name, context.epoch + 1, context.step + 1, result.nonFinite.term, result.nonFinite.value, !this.updated);
    }
    this.updated = true;
    if (this.first === null) {
      this.first = result.loss;
      return;
    }
    const reference = Math.max(Math.abs(this.first), SMALLEST_REFERENCE);
    if (Math.abs(result.loss) > EXPLOSION * reference) {
      throw new LossExplodedError(context.stage.name, context.epoch + 1, context.step, result.loss, this.first);
    }
  }
}
