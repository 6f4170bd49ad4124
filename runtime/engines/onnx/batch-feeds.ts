// A batch as a step or evaluation graph takes it: the data input's samples (in the order given, or
// consecutive from `start`) and, where the graph reads them, the labels as float class indices.
// Consecutive samples of a data set in memory are fed as a view of it; shuffled ones are copied
// into one buffer kept from batch to batch (a run reads its feeds before the next batch is made).
import type { Dataset } from '../../data/index.js';
import { readSamples, sampleRange } from '../../data/samples.js';
import type { OnnxRuntime } from './runtime.js';

export class BatchFeeds {
  private buffer = new Float32Array(0);

  constructor(
    private readonly ort: OnnxRuntime,
    private readonly graph: { data: string; labels?: string },
  ) {}

  of(dataset: Dataset, order: Int32Array | null, start: number, size: number): Record<string, unknown> {
    const shape = [size, ...dataset.sampleShape];
    const feeds: Record<string, unknown> = { [this.graph.data]: this.ort.tensor(this.samples(dataset, order, start, size, shape), shape) };
    if (this.graph.labels) feeds[this.graph.labels] = this.ort.tensor(labelsOf(dataset, order, start, size), [size]);
    return feeds;
  }

  private samples(dataset: Dataset, order: Int32Array | null, start: number, size: number, shape: number[]): Float32Array {
    if (order === null && dataset.stream === undefined) return sampleRange(dataset, start, size);
    const length = shape.reduce((a, b) => a * b, 1);
    if (this.buffer.length < length) this.buffer = new Float32Array(length);
    const x = this.buffer.subarray(0, length);
    readSamples(dataset, order, start, size, x);
    return x;
  }
}

/** The batch's class indices as floats (the graph compares them with 0 … classes − 1). */
function labelsOf(dataset: Dataset, order: Int32Array | null, start: number, size: number): Float32Array {
  if (!dataset.labels) throw new Error(`the data set '${dataset.name}' has no labels, which this model reads`);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = dataset.labels[order ? order[start + i]! : start + i]!;
  return out;
}
