// A step whose loss (or one of its terms) is NaN or ±Infinity was not applied; the run stops there,
// after a checkpoint of the last good weights.
import { NonFiniteLossError } from '../errors.js';
import type { BatchLogs, Callback, LoopContext } from './callback.js';
import type { Checkpointer } from './checkpointer.js';

export class NonFiniteGuard implements Callback {
  constructor(private readonly checkpointer: Checkpointer) {}

  async onBatchEnd(context: LoopContext, logs: BatchLogs): Promise<void> {
    const bad = logs.result.nonFinite;
    if (!bad) return;
    await this.checkpointer.save(context, { epochDone: false });
    throw new NonFiniteLossError(context.stage.name, context.epoch + 1, context.step + 1, bad.term, bad.value);
  }
}
