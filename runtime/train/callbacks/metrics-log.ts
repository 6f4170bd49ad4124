// metrics.jsonl: one line per completed epoch, appended as the epoch ends, and the same lines in
// memory for the caller.
import { join } from 'node:path';
import { appendJsonLine, nodeRunFiles, type RunFiles } from '../../runs/index.js';
import type { Callback, EpochFigures, EpochLogs, LoopContext } from './callback.js';

export const METRICS_FILE = 'metrics.jsonl';

export interface MetricsLine {
  phase: string;
  epoch: number;
  step: number;
  loss: number;
  terms: Record<string, number>;
  val_loss: number | null;
  /** The learning rate of the epoch (it changes only under an lr schedule). */
  lr: number;
  /** The epoch's value of each scheduled loss coefficient (`ramp(...)`, `cyclic(...)`), by the
   *  term's name as in `terms`; absent when the loss has none. */
  coefficients?: Record<string, number>;
  seconds: number;
  /** The family's figures (model-metrics.ts) on the validation set, or the first samples of the
   *  training set without one; absent in greedy stages and for models with none. */
  metrics?: EpochFigures;
}

export class MetricsLog implements Callback {
  constructor(
    private readonly runDir: string,
    private readonly files: RunFiles = nodeRunFiles,
    readonly lines: MetricsLine[] = [],
  ) {}

  async onEpochEnd(context: LoopContext, logs: EpochLogs): Promise<void> {
    const line: MetricsLine = {
      phase: context.stage.name,
      epoch: context.epoch + 1,
      step: context.step,
      loss: logs.loss,
      terms: logs.terms,
      val_loss: logs.valLoss ?? null,
      lr: context.optimizer.learningRate,
      ...(logs.coefficients ? { coefficients: logs.coefficients } : {}),
      seconds: logs.seconds,
      ...(logs.figures ? { metrics: logs.figures } : {}),
    };
    this.lines.push(line);
    await appendJsonLine(join(this.runDir, METRICS_FILE), line, this.files);
  }
}
