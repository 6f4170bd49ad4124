// Inference tasks over a data set, batch by batch in inference mode (no corruption, mean latents,
// nearest codes): the latent codes, the reconstructions, and the evaluation numbers.
import * as tf from '@tensorflow/tfjs-core';
import type { IRTerm } from '../../ir/types.js';
import { product } from '../data/errors.js';
import type { Dataset } from '../data/index.js';
import { termNames } from '../objective/objective.js';
import { tidyValue } from '../program/gradient.js';
import type { Program } from '../program/program.js';
import type { Rng } from '../program/rng.js';
import { batchInputs, batchStarts, modelInputs } from '../train/batches.js';
import { averageLoss } from '../train/validate.js';

export interface TensorValues {
  values: Float32Array;
  shape: number[];
}

/** One output node's values for the first `count` samples (all by default), concatenated; in
 *  inference mode unless `training` (corruptions use it to switch their noise on). */
export function collectOutput(
  program: Program,
  dataset: Dataset,
  nodeId: string,
  options: { batch?: number; count?: number; training?: boolean; rng?: Rng } = {},
): TensorValues {
  const inputs = modelInputs(program.ir);
  const batch = options.batch ?? 256;
  const count = Math.min(options.count ?? dataset.count, dataset.count);
  const parts: Float32Array[] = [];
  let sampleShape: number[] = [];
  for (const start of batchStarts(count, batch)) {
    const size = Math.min(batch, count - start);
    tidyValue(() => {
      const outputs = program.forward(batchInputs(dataset, inputs, null, start, size), { training: options.training ?? false, ...(options.rng ? { rng: options.rng } : {}) });
      const value = outputs.get(nodeId);
      if (!value) throw new Error(`the model has no output '${nodeId}'`);
      sampleShape = value.shape.slice(1);
      parts.push(tf.cast(value, 'float32').dataSync() as Float32Array);
    });
  }
  const values = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    values.set(part, offset);
    offset += part.length;
  }
  return { values, shape: [count, ...sampleShape] };
}

export function encode(program: Program, dataset: Dataset, options: { batch?: number } = {}): TensorValues {
  return collectOutput(program, dataset, program.ir.outputs.latent, options);
}

export function reconstruct(program: Program, dataset: Dataset, options: { batch?: number; count?: number } = {}): TensorValues {
  return collectOutput(program, dataset, program.ir.outputs.reconstruction, options);
}

export interface Evaluation {
  samples: number;
  /** The model's objective in inference mode, averaged over samples. */
  loss: number;
  /** Mean squared error per element between reconstruction and input, in the input's own scale. */
  mse: number;
  terms: Record<string, number>;
}

/** The objective evaluate reports: the model's `loss`, or the last phase's when the model has none. */
export function evaluationObjective(program: Program): IRTerm[] {
  const { ir } = program;
  if (ir.objective.length > 0) return ir.objective;
  return ir.phases[ir.phases.length - 1]?.objective ?? [];
}

export function evaluate(program: Program, dataset: Dataset, options: { batch?: number } = {}): Evaluation {
  const inputs = modelInputs(program.ir);
  const batch = options.batch ?? 256;
  const objective = evaluationObjective(program);
  const delegated = program.evaluateDelegated(dataset, objective, batch);
  if (delegated) {
    const names = termNames(objective, program.ir);
    const terms = Object.fromEntries(names.map((name, i) => [name, delegated.terms[i]! / dataset.count]));
    return { samples: dataset.count, loss: delegated.loss / dataset.count, mse: delegated.squared / (dataset.count * product(dataset.sampleShape)), terms };
  }
  const { loss, terms } = averageLoss(program, dataset, inputs, { objective, batch });
  const { reconstruction, target } = program.ir.outputs;
  let squared = 0;
  let elements = 0;
  for (const start of batchStarts(dataset.count, batch)) {
    const size = Math.min(batch, dataset.count - start);
    squared += tidyValue(() => {
      const outputs = program.forward(batchInputs(dataset, inputs, null, start, size), { training: false });
      const diff = tf.squaredDifference(outputs.get(reconstruction)!, outputs.get(target)!);
      elements += diff.size;
      return tf.sum(diff).dataSync()[0]!;
    });
  }
  return { samples: dataset.count, loss, mse: squared / elements, terms };
}
