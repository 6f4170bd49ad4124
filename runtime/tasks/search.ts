// Exact k-nearest-neighbour search by code distance. Ranking by ‖q − x‖² = ‖q‖² − 2 q·x + ‖x‖² is
// ranking by 2 q·x − ‖x‖² (‖q‖² is the same for every x), which is one matrix product of the
// augmented rows [2q, −1] and [x, ‖x‖²] on the backend. The index is stored transposed in blocks
// ([width + 1, indexBlock]: tfjs-wasm's plain matMul is faster than its transposeB), and one block of
// queries at a time is reduced to its k best per block with topk, then across blocks with topk again,
// so memory stays at queryBlock × indexBlock floats whatever the index size. The k found are then
// re-measured in float64, so the distances reported are exact, not float32 rounding of the expansion.
// Hamming distance between {0, 1} codes is the squared euclidean distance, so it takes the same
// path; cosine distance is ranked on unit rows by q·x alone.
import * as tf from '@tensorflow/tfjs-core';
import { tidyValue } from '../program/gradient.js';
import type { TensorValues } from './infer.js';
import { TaskError } from './task-error.js';

export type SearchMetric = 'euclidean' | 'cosine' | 'hamming';

export interface SearchOptions {
  k: number;
  metric?: SearchMetric;
  /** Queries per block (default 256) and indexed codes per block (default 32768). */
  queryBlock?: number;
  indexBlock?: number;
}

export interface Neighbours {
  k: number;
  queries: number;
  /** queries × k row numbers into the index, nearest first. */
  indices: Int32Array;
  /** queries × k distances, matching `indices`. */
  distances: Float64Array;
}

/** The `k` nearest codes of `index` to each code of `queries` (both [n, ...code shape]). */
export function search(index: TensorValues, queries: TensorValues, options: SearchOptions): Neighbours {
  const codeIndex = new CodeIndex(index, options);
  try {
    return codeIndex.search(queries, options);
  } finally {
    codeIndex.dispose();
  }
}

/** Indexed codes held on the backend, for many searches (an interactive session, a server). */
export class CodeIndex {
  readonly metric: SearchMetric;
  readonly count: number;
  readonly width: number;
  private readonly data: Float32Array;
  private readonly blocks: { codes: tf.Tensor2D; offset: number }[] = [];

  constructor(index: TensorValues, options: { metric?: SearchMetric; indexBlock?: number } = {}) {
    this.metric = options.metric ?? 'euclidean';
    this.count = index.shape[0]!;
    this.width = index.values.length / Math.max(this.count, 1);
    if (this.metric === 'hamming') checkBinary(index.values, this.width);
    this.data = this.metric === 'cosine' ? normalisedRows(index.values, this.width) : index.values;
    const indexBlock = options.indexBlock ?? 32768;
    if (!Number.isInteger(indexBlock) || indexBlock < 1) throw new TaskError(`the index block must be a positive integer, got ${indexBlock}`);
    for (let offset = 0; offset < this.count; offset += indexBlock) {
      const rows = Math.min(indexBlock, this.count - offset);
      this.blocks.push({ codes: augmentedIndexBlock(this.data, offset, rows, this.width, this.metric !== 'cosine'), offset });
    }
  }

  search(queries: TensorValues, options: { k: number; queryBlock?: number }): Neighbours {
    const { k } = options;
    const q = queries.shape[0]!;
    const width = this.width;
    if (!Number.isInteger(k) || k < 1) throw new TaskError(`k must be a positive integer, got ${k}`);
    if (k > this.count) throw new TaskError(`k = ${k} is larger than the index (${this.count} codes)`);
    const queryWidth = queries.values.length / Math.max(q, 1);
    if (q > 0 && queryWidth !== width) throw new TaskError(`query codes have ${queryWidth} values but indexed codes have ${width}`);
    if (this.metric === 'hamming') checkBinary(queries.values, width);
    const queryData = this.metric === 'cosine' ? normalisedRows(queries.values, width) : queries.values;
    const queryBlock = options.queryBlock ?? 256;
    const indices = new Int32Array(q * k);
    for (let start = 0; start < q; start += queryBlock) {
      const rows = Math.min(queryBlock, q - start);
      indices.set(this.searchBlock(augmentedQueries(queryData, start, rows, width), rows, k), start * k);
    }
    const distances = remeasure(indices, this.data, queryData, width, k, this.metric);
    return { k, queries: q, indices, distances };
  }

  /** One block of queries: each index block's k best by topk, then the best k of those. */
  private searchBlock(augmented: Float32Array, rows: number, k: number): Int32Array {
    return tidyValue(() => {
      const query = tf.tensor2d(augmented, [rows, this.width + 1]);
      const candidateScores: tf.Tensor[] = [];
      const candidateIds: tf.Tensor[] = [];
      for (const block of this.blocks) {
        const best = tf.topk(tf.matMul(query, block.codes), Math.min(k, block.codes.shape[1]));
        candidateScores.push(best.values);
        candidateIds.push(tf.add(best.indices, block.offset));
      }
      if (this.blocks.length === 1) return candidateIds[0]!.dataSync() as Int32Array;
      const merged = tf.topk(tf.concat(candidateScores, 1), k);
      // Row r's ids at row r's merged positions, by gatherND on (row, position) pairs: tfjs-wasm
      // 4.22's gather with batchDims = 1 reads out of bounds.
      const rowOf = tf.reshape(tf.tile(tf.reshape(tf.range(0, rows, 1, 'int32'), [rows, 1]), [1, k]), [-1]);
      const pairs = tf.stack([rowOf, tf.reshape(merged.indices, [-1])], 1);
      return tf.gatherND(tf.concat(candidateIds, 1), pairs).dataSync() as Int32Array;
    });
  }

  dispose(): void {
    for (const block of this.blocks) block.codes.dispose();
    this.blocks.length = 0;
  }
}

function checkBinary(values: Float32Array, width: number): void {
  const bad = values.findIndex((v) => v !== 0 && v !== 1);
  if (bad >= 0) throw new TaskError(`hamming distance compares binary codes; code ${Math.floor(bad / width)} holds ${values[bad]}`);
}

/** Index rows [x, ‖x‖²] (or [x, 0] for cosine), transposed: [width + 1, rows]. */
function augmentedIndexBlock(values: Float32Array, offset: number, rows: number, width: number, withNorms: boolean): tf.Tensor2D {
  const out = new Float32Array((width + 1) * rows);
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let d = 0; d < width; d++) {
      const v = values[(offset + r) * width + d]!;
      out[d * rows + r] = v;
      norm += v * v;
    }
    out[width * rows + r] = withNorms ? norm : 0;
  }
  return tf.tensor2d(out, [width + 1, rows]);
}

/** Query rows [2q, −1]: their product with [x, ‖x‖²] is ‖q‖² − ‖q − x‖², larger for nearer x. */
function augmentedQueries(values: Float32Array, start: number, rows: number, width: number): Float32Array {
  const out = new Float32Array(rows * (width + 1));
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < width; d++) out[r * (width + 1) + d] = 2 * values[(start + r) * width + d]!;
    out[r * (width + 1) + width] = -1;
  }
  return out;
}

/** Exact distances of the found neighbours, and their order fixed where float32 rounding swapped two. */
function remeasure(indices: Int32Array, index: Float32Array, queries: Float32Array, width: number, k: number, metric: SearchMetric): Float64Array {
  const distances = new Float64Array(indices.length);
  const rows = indices.length / k;
  for (let r = 0; r < rows; r++) {
    const found = Array.from(indices.subarray(r * k, (r + 1) * k), (id) => {
      let squared = 0;
      let dot = 0;
      for (let d = 0; d < width; d++) {
        squared += (queries[r * width + d]! - index[id * width + d]!) ** 2;
        dot += queries[r * width + d]! * index[id * width + d]!;
      }
      const distance = metric === 'euclidean' ? Math.sqrt(squared) : metric === 'cosine' ? 1 - dot : Math.round(squared);
      return { id, distance };
    });
    found.sort((a, b) => a.distance - b.distance || a.id - b.id);
    found.forEach(({ id, distance }, i) => {
      indices[r * k + i] = id;
      distances[r * k + i] = distance;
    });
  }
  return distances;
}

/** Rows scaled to unit length (zero rows stay zero), so that 1 − a·b is the cosine distance. */
function normalisedRows(values: Float32Array, width: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < values.length / width; r++) {
    let norm = 0;
    for (let d = 0; d < width; d++) norm += values[r * width + d]! ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < width; d++) out[r * width + d] = values[r * width + d]! * scale;
  }
  return out;
}

/** The mean fraction of each query's k neighbours that share its label. */
export function precisionAtK(neighbours: Neighbours, indexLabels: ArrayLike<number>, queryLabels: ArrayLike<number>): number {
  if (queryLabels.length !== neighbours.queries) throw new TaskError(`${neighbours.queries} queries but ${queryLabels.length} query labels`);
  let hits = 0;
  for (let r = 0; r < neighbours.queries; r++) {
    for (let i = 0; i < neighbours.k; i++) if (indexLabels[neighbours.indices[r * neighbours.k + i]!] === queryLabels[r]) hits++;
  }
  return hits / (neighbours.queries * neighbours.k);
}
