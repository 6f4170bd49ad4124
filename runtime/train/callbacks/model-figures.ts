// The family's own figures at the end of each epoch (heads' accuracy, a VAE's negative ELBO, a VQ
// codebook's use; model-metrics.ts), on the validation data or, without any, the first samples of
// the training data. They go into the epoch's logs, which the metrics log and the progress line
// written after this callback read. Greedy stages train a part of the model: they have none.
import type { Dataset } from '../../data/index.js';
import { modelMetrics } from '../model-metrics.js';
import type { Callback, EpochLogs, LoopContext } from './callback.js';

/** Without validation data, the figures are computed on this many training samples. */
const TRAINING_SAMPLES = 2000;

export class ModelFigures implements Callback {
  onEpochEnd(context: LoopContext, logs: EpochLogs): void {
    if (context.stage.greedy) return;
    const { dataset } = context;
    const data: Dataset = context.validation ?? {
      ...dataset,
      name: `${dataset.name}[:${TRAINING_SAMPLES}]`,
      count: Math.min(dataset.count, TRAINING_SAMPLES),
    };
    const figures = modelMetrics(context.program, data, context.stage.objective, { batch: context.batch });
    if (Object.keys(figures).length > 0) logs.figures = { data: data.name, ...figures };
  }
}
