// A batch as a step or evaluation graph takes it: the data input's samples (in the order given, or
// consecutive from `start`) and, where the graph reads them, the labels as float class indices.
import type { Dataset } from '../../data/index.js';
import { readSamples } from '../../data/samples.js';
import type { OnnxRuntime } from './runtime.js';

export function batchFeeds(ort: OnnxRuntime, graph: { data: string; labels?: string }, dataset: Dataset, order: Int32Array | null, start: number, size: number): Record<string, unknown> {
  const shape = [size, ...dataset.sampleShape];
  const x = new Float32Array(shape.reduce((a, b) => a * b, 1));
  readSamples(dataset, order, start, size, x);
  const feeds: Record<string, unknown> = { [graph.data]: ort.tensor(x, shape) };
  if (graph.labels) feeds[graph.labels] = ort.tensor(labelsOf(dataset, order, start, size), [size]);
  return feeds;
}

/** The batch's class indices as floats (the graph compares them with 0 … classes − 1). */
function labelsOf(dataset: Dataset, order: Int32Array | null, start: number, size: number): Float32Array {
  if (!dataset.labels) throw new Error(`the data set '${dataset.name}' has no labels, which this model reads`);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = dataset.labels[order ? order[start + i]! : start + i]!;
  return out;
}
