// Reading samples out of a Dataset, whether it holds them in memory or streams them from a file:
// every consumer (batches, evaluation, tasks) goes through these functions, never through the
// storage itself, so a streamed data set trains exactly like one in memory.
import type { Dataset } from './dataset.js';
import { product } from './errors.js';

/** Samples kept in a file and read on demand, already scaled into the input's range. */
export interface SampleStream {
  /** Copies the consecutive samples start .. start + count - 1 into `out` from `offset` on. */
  readRange(start: number, count: number, out: Float32Array, offset: number): void;
  /** Releases the file; reading afterwards is an error. Closing twice does nothing. */
  close(): void;
}

/** Copies `size` samples into `out`: those `order` lists from `start` on, or with no order the
 *  consecutive samples from `start`. Runs of consecutive samples are read in one go. */
export function readSamples(dataset: Dataset, order: ArrayLike<number> | null, start: number, size: number, out: Float32Array): void {
  if (!order) {
    copySamples(dataset, start, size, out, 0);
    return;
  }
  const width = product(dataset.sampleShape);
  for (let i = 0; i < size; ) {
    const first = order[start + i]!;
    let run = 1;
    while (i + run < size && order[start + i + run] === first + run) run++;
    copySamples(dataset, first, run, out, i * width);
    i += run;
  }
}

/** The samples start .. start + count - 1, count × sample size values. For a data set in memory
 *  this is a view of its values (do not write to it); for a streamed one, a fresh copy. */
export function sampleRange(dataset: Dataset, start: number, count: number): Float32Array {
  const width = product(dataset.sampleShape);
  if (dataset.stream === undefined) return dataset.x.subarray(start * width, (start + count) * width);
  const out = new Float32Array(count * width);
  dataset.stream.readRange(start, count, out, 0);
  return out;
}

/** Releases the file a streamed data set reads from (nothing to do for one in memory). */
export function closeDataset(dataset: Dataset): void {
  dataset.stream?.close();
}

function copySamples(dataset: Dataset, first: number, count: number, out: Float32Array, offset: number): void {
  if (first < 0 || first + count > dataset.count) {
    throw new RangeError(`samples ${first}..${first + count - 1} are outside ${dataset.name} (${dataset.count} samples)`);
  }
  if (dataset.stream !== undefined) {
    dataset.stream.readRange(first, count, out, offset);
    return;
  }
  const width = product(dataset.sampleShape);
  out.set(dataset.x.subarray(first * width, (first + count) * width), offset);
}
