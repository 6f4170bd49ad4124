// Which part of a series is anomalous: for a data set of windows (`csv(..., window = t)`), each
// window's reconstruction error per step (the model's reconstruction terms averaged over the
// channels, weighted as in the objective), then each row of the series scored by the mean of its
// steps' errors over every window that covers it. Rows no window covers (the tail a stride skips)
// score NaN.
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/index.js';
import { termContext } from '../objective/objective.js';
import { termTraits } from '../../ir/op-rules.js';
import { elementsOf } from '../objective/elements.js';
import { tidyValue } from '../program/gradient.js';
import type { Program } from '../program/program.js';
import { batchInputs, batchStarts, modelInputs } from '../train/batches.js';
import { reconstructionTerms } from './score.js';
import { TaskError } from './task-error.js';

export interface StepScores {
  /** [windows, window]: each window's error at each of its steps. */
  perWindowStep: Float32Array;
  /** One score per row of the series (NaN where no window reaches). */
  perRow: Float32Array;
}

export function stepScores(program: Program, dataset: Dataset, options: { batch?: number } = {}): StepScores {
  const series = dataset.series;
  if (!series) throw new TaskError(`${dataset.name} is not windows of a series; per-step scores need csv(..., window = t)`);
  const { window, stride, steps } = series;
  // a series' terms are mse or bce (a table's reconstruction term reads no windows)
  const terms = reconstructionTerms(program).filter((t) => termTraits(t.fn).elementwise === true);
  const inputs = modelInputs(program.ir);
  const batch = options.batch ?? 256;
  const perWindowStep = new Float32Array(dataset.count * window);
  for (const start of batchStarts(dataset.count, batch)) {
    const size = Math.min(batch, dataset.count - start);
    tidyValue(() => {
      const outputs = program.forward(batchInputs(dataset, inputs, null, start, size), { training: false });
      const ctx = termContext(program.ir, program.parameters, outputs);
      const perStep = terms.map((term) => {
        const elements = elementsOf(term, ctx);
        // [size, t, c] → [size, t]: the channels of one step together.
        return tf.mul(tf.mean(tf.reshape(elements, [size, window, -1]), 2), term.weight);
      });
      perWindowStep.set(tf.addN(perStep).dataSync() as Float32Array, start * window);
    });
  }
  const sums = new Float64Array(steps);
  const counts = new Uint32Array(steps);
  for (let w = 0; w < dataset.count; w++) {
    for (let s = 0; s < window; s++) {
      const row = w * stride + s;
      sums[row] += perWindowStep[w * window + s]!;
      counts[row]!++;
    }
  }
  const perRow = Float32Array.from(sums, (sum, row) => (counts[row] === 0 ? NaN : sum / counts[row]!));
  return { perWindowStep, perRow };
}
