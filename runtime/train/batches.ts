// Turning a Dataset into batches: a shuffled order per epoch (from the seeded PRNG) and the model's
// input tensors for a slice of that order, read from memory or from the file of a streamed data set.
import * as tf from '@tensorflow/tfjs-core';
import type { IRInput, IRModel } from '../../ir/types.js';
import { readSamples, type Dataset } from '../data/index.js';
import { TrainingError } from './errors.js';

export interface ModelInputs {
  data: IRInput;
  labels?: IRInput;
  /** A node reads the labels (a conditional encoder or decoder), not only the loss: every batch needs them. */
  labelsConditionNodes?: boolean;
}

/** The model's one tensor input and optional label input (the runtime feeds one data set). */
export function modelInputs(ir: IRModel): ModelInputs {
  // A table is fed as its encoded row, a float vector like any tensor input.
  const tensors = ir.inputs.filter((i) => i.kind !== 'label');
  const labels = ir.inputs.filter((i) => i.kind === 'label');
  if (tensors.length !== 1) {
    throw new TrainingError(`the runtime feeds models with one tensor input; '${ir.model}' has ${tensors.length}`);
  }
  if (labels.length > 1) throw new TrainingError(`'${ir.model}' has ${labels.length} label inputs; at most one is supported`);
  const label = labels[0];
  const conditions = label !== undefined && ir.nodes.some((node) => node.inputs.includes(label.name));
  return { data: tensors[0]!, ...(label ? { labels: label } : {}), ...(conditions ? { labelsConditionNodes: true } : {}) };
}

/** The input tensors for samples `order[start .. start + size)`. */
export function batchInputs(
  dataset: Dataset,
  inputs: ModelInputs,
  order: Int32Array | null,
  start: number,
  size: number,
): Record<string, tf.Tensor> {
  if (inputs.labelsConditionNodes && !dataset.labels) {
    throw new TrainingError(`the model reads the label '${inputs.labels!.name}' as a condition (\`on ..., ${inputs.labels!.name}\`), but ${dataset.name} has no labels`);
  }
  const width = dataset.sampleShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(size * width);
  readSamples(dataset, order, start, size, x);
  const y = dataset.labels && inputs.labels ? new Int32Array(size) : undefined;
  for (let i = 0; y && i < size; i++) y[i] = dataset.labels![order ? order[start + i]! : start + i]!;
  // Keyed by input names, which may be any name (`__proto__` too): no prototype, so every name is
  // an own key (assigning `__proto__` on a plain object replaced its prototype and lost the labels).
  const out: Record<string, tf.Tensor> = Object.create(null);
  out[inputs.data.name] = tf.tensor(x, [size, ...dataset.sampleShape], 'float32');
  if (y && inputs.labels) out[inputs.labels.name] = tf.tensor1d(y, 'int32');
  return out;
}

/** Batch start offsets; the last batch may be smaller (every sample is seen once per epoch). */
export function batchStarts(count: number, batch: number): number[] {
  const starts: number[] = [];
  for (let s = 0; s < count; s += batch) starts.push(s);
  return starts;
}
