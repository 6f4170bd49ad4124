// The progress bar (terminal) or one line per epoch (logs), as a callback.
import { formatModelMetrics } from '../model-metrics.js';
import { formatLoss, Progress, type ProgressSink } from '../progress.js';
import type { BatchLogs, Callback, EpochLogs, LoopContext } from './callback.js';

export class ProgressReport implements Callback {
  private readonly progress: Progress;

  constructor(sink: ProgressSink) {
    this.progress = new Progress(sink);
  }

  onEpochBegin(context: LoopContext, batches: number): void {
    this.progress.startEpoch(context.stage.name, context.epoch + 1, context.stage.epochs, batches);
  }

  onBatchEnd(_context: LoopContext, logs: BatchLogs): void {
    if (!logs.result.nonFinite) this.progress.batch(logs.index, logs.result.loss);
  }

  onEpochEnd(_context: LoopContext, logs: EpochLogs): void {
    this.progress.endEpoch({
      loss: logs.loss,
      seconds: logs.seconds,
      samples: logs.samples,
      ...(logs.valLoss !== undefined ? { valLoss: logs.valLoss } : {}),
      figures: logs.figures ? formatModelMetrics(logs.figures, formatLoss) : [],
    });
  }
}
