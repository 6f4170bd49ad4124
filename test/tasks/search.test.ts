// Exact kNN by code distance: the neighbour ids equal a brute-force float64 reference for every
// metric, whatever the block sizes, and the misuses are clear errors.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../runtime/backends/index.js';
import { Rng } from '../../runtime/program/rng.js';
import { precisionAtK, search, TaskError, type SearchMetric, type TensorValues } from '../../runtime/tasks/index.js';
import { useCpu } from '../runtime/setup.js';

beforeAll(useCpu);

function randomCodes(count: number, width: number, seed: number, binary = false): TensorValues {
  const rng = new Rng(seed);
  const values = Float32Array.from({ length: count * width }, () => (binary ? (rng.next() < 0.5 ? 1 : 0) : rng.normal()));
  return { values, shape: [count, width] };
}

function bruteForce(index: TensorValues, queries: TensorValues, k: number, metric: SearchMetric): { ids: number[][]; distances: number[][] } {
  const width = index.shape[1]!;
  const row = (t: TensorValues, r: number) => Array.from(t.values.subarray(r * width, (r + 1) * width));
  const ids: number[][] = [];
  const distances: number[][] = [];
  for (let q = 0; q < queries.shape[0]!; q++) {
    const a = row(queries, q);
    const all = Array.from({ length: index.shape[0]! }, (_, i) => {
      const b = row(index, i);
      const dot = a.reduce((s, v, d) => s + v * b[d]!, 0);
      const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      const distance =
        metric === 'euclidean'
          ? Math.sqrt(a.reduce((s, v, d) => s + (v - b[d]!) ** 2, 0))
          : metric === 'cosine'
            ? 1 - dot / (norm(a) * norm(b))
            : a.reduce((s, v, d) => s + (v !== b[d] ? 1 : 0), 0);
      return { i, distance };
    });
    all.sort((x, y) => x.distance - y.distance || x.i - y.i);
    ids.push(all.slice(0, k).map((e) => e.i));
    distances.push(all.slice(0, k).map((e) => e.distance));
  }
  return { ids, distances };
}

function rows(values: ArrayLike<number>, k: number): number[][] {
  return Array.from({ length: values.length / k }, (_, r) => Array.from(values).slice(r * k, (r + 1) * k));
}

describe('search', () => {
  it.each([
    ['euclidean', 1000, 256, 32768],
    ['euclidean', 1000, 7, 97],
    ['cosine', 1000, 13, 250],
  ] as const)('finds the same neighbours as brute force (%s, %i codes; blocks of %i queries × %i codes)', (metric, n, queryBlock, indexBlock) => {
    const index = randomCodes(n, 12, 1);
    const queries = randomCodes(40, 12, 2);
    const found = search(index, queries, { k: 5, metric, queryBlock, indexBlock });
    const reference = bruteForce(index, queries, 5, metric);
    expect(rows(found.indices, 5)).toEqual(reference.ids);
    rows(found.distances, 5).flat().forEach((d, i) => expect(d).toBeCloseTo(reference.distances.flat()[i]!, 5));
  });

  it('finds the same neighbours on the wasm backend (matMul, topk and gatherND kernels)', async () => {
    await selectBackend('wasm');
    try {
      const index = randomCodes(2000, 16, 6);
      const queries = randomCodes(50, 16, 7);
      for (const metric of ['euclidean', 'cosine'] as const) {
        const found = search(index, queries, { k: 10, metric, queryBlock: 16, indexBlock: 300 });
        expect(rows(found.indices, 10)).toEqual(bruteForce(index, queries, 10, metric).ids);
      }
      expect(tf.getBackend()).toBe('wasm');
    } finally {
      await selectBackend('cpu');
    }
  });

  it('counts differing bits for binary codes, ties broken by row', () => {
    const index = randomCodes(500, 16, 3, true);
    const queries = randomCodes(30, 16, 4, true);
    const found = search(index, queries, { k: 8, metric: 'hamming', indexBlock: 64 });
    const reference = bruteForce(index, queries, 8, 'hamming');
    expect(rows(found.distances, 8)).toEqual(reference.distances);
    // Bit distances tie often: the set at each distance is unique, its order by row is the reference's.
    expect(rows(found.indices, 8)).toEqual(reference.ids);
  });

  it('finds a query that is in the index at distance 0', () => {
    const index = randomCodes(300, 6, 5);
    const queries: TensorValues = { values: index.values.slice(42 * 6, 45 * 6), shape: [3, 6] };
    const found = search(index, queries, { k: 1 });
    expect(Array.from(found.indices)).toEqual([42, 43, 44]);
    expect(Array.from(found.distances)).toEqual([0, 0, 0]);
  });

  it('precision@k is the share of neighbours with the query’s label', () => {
    const neighbours = { k: 2, queries: 2, indices: Int32Array.from([0, 1, 2, 3]), distances: new Float64Array(4) };
    expect(precisionAtK(neighbours, [7, 7, 7, 1], [7, 1])).toBe(0.75);
  });

  it('refuses k larger than the index, mismatched widths and non-binary codes for hamming', () => {
    const index = randomCodes(10, 4, 1);
    expect(() => search(index, randomCodes(2, 4, 2), { k: 11 })).toThrow(TaskError);
    expect(() => search(index, randomCodes(2, 4, 2), { k: 11 })).toThrow(/k = 11 is larger than the index \(10 codes\)/);
    expect(() => search(index, randomCodes(2, 5, 2), { k: 1 })).toThrow(/query codes have 5 values but indexed codes have 4/);
    expect(() => search(index, randomCodes(2, 4, 2), { k: 1, metric: 'hamming' })).toThrow(/hamming distance compares binary codes; code 0 holds/);
    expect(() => search(index, randomCodes(2, 4, 2), { k: 0 })).toThrow(/k must be a positive integer/);
  });
});
