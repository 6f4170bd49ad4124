// Exact k-nearest-neighbour search by code distance. Distances come from matrix products on the
// backend, ‖q‖² − 2 q·x + ‖x‖², one block of queries against one block of the index at a time (so
// memory stays at queryBlock × indexBlock floats whatever the index size), each block reduced to its
// k best with topk, the blocks' candidates merged with topk again. The k found are then re-measured
// in float64, so the distances reported are exact, not the expansion's float32 rounding.
// Hamming distance between {0, 1} codes is the squared euclidean distance, so it takes the same path.
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
  const metric = options.metric ?? 'euclidean';
  const n = index.shape[0]!;
  const q = queries.shape[0]!;
  const width = index.values.length / Math.max(n, 1);
  const queryWidth = queries.values.length / Math.max(q, 1);
  const { k } = options;
  if (!Number.isInteger(k) || k < 1) throw new TaskError(`k must be a positive integer, got ${k}`);
  if (k > n) throw new TaskError(`k = ${k} is larger than the index (${n} codes)`);
  if (q > 0 && queryWidth !== width) throw new TaskError(`query codes have ${queryWidth} values but indexed codes have ${width}`);
  if (metric === 'hamming') {
    for (const values of [index.values, queries.values]) {
      const bad = values.findIndex((v) => v !== 0 && v !== 1);
      if (bad >= 0) throw new TaskError(`hamming distance compares binary codes; code ${Math.floor(bad / width)} holds ${values[bad]}`);
    }
  }
  const indexData = metric === 'cosine' ? normalisedRows(index.values, width) : index.values;
  const queryData = metric === 'cosine' ? normalisedRows(queries.values, width) : queries.values;
  const queryBlock = options.queryBlock ?? 256;
  const indexBlock = Math.max(options.indexBlock ?? 32768, k);
  const blocks: { codes: tf.Tensor2D; norms: tf.Tensor2D; offset: number }[] = [];
  for (let offset = 0; offset < n; offset += indexBlock) {
    const rows = Math.min(indexBlock, n - offset);
    const codes = tf.tensor2d(indexData.subarray(offset * width, (offset + rows) * width), [rows, width]);
    // Cosine ranks by −q·x alone on unit rows (a zero row then sits at distance 1 from everything).
    const norms = tf.tidy(() => (metric === 'cosine' ? tf.zeros([1, rows]) : tf.reshape(tf.sum(tf.square(codes), 1), [1, rows]))) as tf.Tensor2D;
    blocks.push({ codes, norms, offset });
  }
  const indices = new Int32Array(q * k);
  try {
    for (let start = 0; start < q; start += queryBlock) {
      const rows = Math.min(queryBlock, q - start);
      const found = tidyValue(() => {
        const query = tf.tensor2d(queryData.subarray(start * width, (start + rows) * width), [rows, width]);
        const queryNorms = tf.sum(tf.square(query), 1, true);
        const candidateScores: tf.Tensor[] = [];
        const candidateIds: tf.Tensor[] = [];
        for (const block of blocks) {
          const products = tf.matMul(query, block.codes, false, true);
          const squared = tf.add(tf.sub(queryNorms, tf.mul(products, 2)), block.norms);
          const best = tf.topk(tf.neg(squared), Math.min(k, block.codes.shape[0]));
          candidateScores.push(best.values);
          candidateIds.push(tf.add(best.indices, block.offset));
        }
        if (blocks.length === 1) return candidateIds[0]!.dataSync() as Int32Array;
        const scores = tf.concat(candidateScores, 1);
        const ids = tf.concat(candidateIds, 1);
        const merged = tf.topk(scores, k);
        return tf.gatherND(ids, tf.stack([tf.reshape(tf.tile(tf.reshape(tf.range(0, rows, 1, 'int32'), [rows, 1]), [1, k]), [-1]), tf.reshape(merged.indices, [-1])], 1)).dataSync() as Int32Array;
      });
      indices.set(found, start * k);
    }
  } finally {
    for (const block of blocks) tf.dispose([block.codes, block.norms]);
  }
  const distances = remeasure(indices, indexData, queryData, width, k, metric);
  return { k, queries: q, indices, distances };
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
