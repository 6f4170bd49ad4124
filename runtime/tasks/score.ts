// Anomaly scores, PyOD-style: one score per sample (higher = more anomalous), a threshold fitted on
// the training data's scores at the expected contamination, and is_anomaly = score > threshold.
// The score is the model's own reconstruction term(s) reduced per sample (their batch mean is the
// term's value), or for a gaussian code the negative ELBO at the code's mean: the reconstruction
// terms summed over the sample plus KL(q(z|x) || N(0, I)) summed over the code.
import * as tf from '@tensorflow/tfjs-core';
import type { IRTerm } from '../../ir/types.js';
import type { Dataset } from '../data/index.js';
import { termContext } from '../objective/objective.js';
import { termTraits } from '../../ir/op-rules.js';
import { elementsOf, hasElements } from '../objective/elements.js';
import { gaussianKlPerUnit } from '../objective/terms/regularizers.js';
import { tidyValue } from '../program/gradient.js';
import type { Program } from '../program/program.js';
import { batchInputs, batchStarts, modelInputs } from '../train/batches.js';
import { evaluationObjective } from './infer.js';
import { latentKind, latentName, latentNode } from './latent.js';
import { TaskError } from './task-error.js';

export type ScoreBy = 'reconstruction' | 'nelbo';

/** The terms of the objective `ae eval` reports that compare the reconstruction with its target
 *  (terms with a value per element, runtime/objective/elements.ts). */
export function reconstructionTerms(program: Program): IRTerm[] {
  const { reconstruction, target, named } = program.ir.outputs;
  const is = (arg: string | undefined, id: string): boolean => arg === id || (arg !== undefined && named[arg] === id);
  const found = evaluationObjective(program).filter((t) => hasElements(t) && is(t.args[0], reconstruction) && is(t.args[1], target));
  if (found.length === 0) {
    // A model trained on another loss (a head's cross-entropy) is still scored by how well it reconstructs.
    return [{ fn: 'mse', weight: 1, args: [reconstruction, target], options: { reduce: 'mean' } }];
  }
  return found;
}

/** One score per sample of `dataset`. */
export function anomalyScores(program: Program, dataset: Dataset, options: { by?: ScoreBy; batch?: number } = {}): Float32Array {
  const { ir } = program;
  const by = options.by ?? 'reconstruction';
  if (by === 'nelbo' && latentKind(ir) !== 'gaussian') {
    throw new TaskError(`the negative ELBO needs a gaussian latent; latent '${latentName(ir)}' of '${ir.model}' is ${latentKind(ir)} (score by reconstruction)`);
  }
  const terms = reconstructionTerms(program);
  const inputs = modelInputs(ir);
  const batch = options.batch ?? 256;
  const scores = new Float32Array(dataset.count);
  for (const start of batchStarts(dataset.count, batch)) {
    const size = Math.min(batch, dataset.count - start);
    tidyValue(() => {
      const outputs = program.forward(batchInputs(dataset, inputs, null, start, size), { training: false });
      const ctx = termContext(ir, program.parameters, outputs);
      const perSample = terms.map((term) => {
        const flat = tf.reshape(elementsOf(term, ctx), [size, -1]);
        const reduced = by === 'nelbo' || term.options.reduce === 'sum' ? tf.sum(flat, 1) : tf.mean(flat, 1);
        return tf.mul(reduced, by === 'nelbo' ? 1 : term.weight);
      });
      if (by === 'nelbo') perSample.push(gaussianKl(program, outputs, size));
      scores.set(tf.addN(perSample).dataSync() as Float32Array, start);
    });
  }
  return scores;
}

/** Which columns of a table made each sample's score: each column's loss per sample (numeric:
 *  squared error of the standardised value; categorical: cross-entropy of the level seen), weighted
 *  as the score weighs them, so a row's contributions sum to its reconstruction score. */
export function columnContributions(program: Program, dataset: Dataset, options: { batch?: number } = {}): { columns: string[]; values: Float32Array } {
  const { ir } = program;
  const term = reconstructionTerms(program).find((t): t is IRTerm<'reconstruction'> => termTraits(t.fn).perColumn === true);
  const table = ir.inputs.find((i) => i.kind === 'table');
  if (!term || !table?.columns) throw new TaskError(`'${ir.model}' is not scored per column: only a table model's reconstruction(x_hat, x) is`);
  const columns = table.columns.map((c) => c.name);
  const inputs = modelInputs(ir);
  const batch = options.batch ?? 256;
  const values = new Float32Array(dataset.count * columns.length);
  const scale = term.weight / (term.options.reduce === 'sum' ? 1 : columns.length);
  for (const start of batchStarts(dataset.count, batch)) {
    const size = Math.min(batch, dataset.count - start);
    tidyValue(() => {
      const outputs = program.forward(batchInputs(dataset, inputs, null, start, size), { training: false });
      values.set(tf.mul(elementsOf(term, termContext(ir, program.parameters, outputs)), scale).dataSync() as Float32Array, start * columns.length);
    });
  }
  return { columns, values };
}

function gaussianKl(program: Program, outputs: ReadonlyMap<string, tf.Tensor>, size: number): tf.Tensor {
  const [meanId, logvarId] = latentNode(program.ir).inputs;
  const mean = tf.reshape(outputs.get(meanId!)!, [size, -1]);
  const logvar = tf.reshape(outputs.get(logvarId!)!, [size, -1]);
  return tf.sum(gaussianKlPerUnit(mean, logvar), 1);
}

/**
 * The score above which a `contamination` fraction of the fitting scores lie: PyOD's
 * `np.percentile(scores, 100 * (1 - contamination))`, linear interpolation between order statistics.
 */
export function fitThreshold(scores: ArrayLike<number>, contamination: number): number {
  if (!(contamination > 0 && contamination <= 0.5)) throw new TaskError(`the contamination must lie in (0, 0.5], as in PyOD; got ${contamination}`);
  if (scores.length === 0) throw new TaskError('cannot fit a threshold on no scores');
  const sorted = Float64Array.from(scores).sort();
  const position = (1 - contamination) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

export interface AnomalyResult {
  scores: Float32Array;
  threshold: number;
  isAnomaly: Uint8Array;
}

export interface ScoreOptions {
  by?: ScoreBy;
  /** Fit the threshold on these samples' scores (the training data) at `contamination` (default 0.1)... */
  fit?: Dataset;
  contamination?: number;
  /** ...or use this threshold as it is. */
  threshold?: number;
  batch?: number;
}

/** PyOD's fit + decision_function + predict in one call. */
export function score(program: Program, dataset: Dataset, options: ScoreOptions = {}): AnomalyResult {
  const scoring = { ...(options.by ? { by: options.by } : {}), ...(options.batch ? { batch: options.batch } : {}) };
  let threshold = options.threshold;
  if (threshold !== undefined && options.contamination !== undefined) throw new TaskError('give a contamination or a threshold, not both');
  if (threshold === undefined) {
    if (options.fit === undefined) throw new TaskError('fitting a threshold needs the data to fit it on (the training data)');
    threshold = fitThreshold(anomalyScores(program, options.fit, scoring), options.contamination ?? 0.1);
  }
  const scores = anomalyScores(program, dataset, scoring);
  const isAnomaly = Uint8Array.from(scores, (s) => (s > threshold! ? 1 : 0));
  return { scores, threshold, isAnomaly };
}
