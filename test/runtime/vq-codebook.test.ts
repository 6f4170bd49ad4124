// The VQ codebook keeper: k-means++ seeds from the first batch, dead codes restarted, and a model
// trained with it keeps many codes in use where the U(-1/K, 1/K) codebook alone collapsed.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import { RESTART_EVERY, SEED_VECTORS } from '../../ir/codebook-upkeep.js';
import { kmeansPlusPlus, prepareCodebook, restartDeadCodes } from '../../runtime/program/ops/vq-codebook.js';
import { Rng } from '../../runtime/program/rng.js';
import { modelMetrics } from '../../runtime/tasks/index.js';
import { train } from '../../runtime/train/train.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useCpu } from './setup.js';

/** The upkeep the compiler writes into a plan. */
const upkeep = { seedVectors: SEED_VECTORS, restartEvery: RESTART_EVERY };

beforeAll(useCpu);

/** `clusters` tight blobs of `perCluster` points in `dim` dimensions, centred at 10·e_c. */
function blobs(clusters: number, perCluster: number, dim: number, seed = 3): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(clusters * perCluster * dim);
  for (let c = 0; c < clusters; c++) {
    for (let i = 0; i < perCluster; i++) {
      for (let j = 0; j < dim; j++) out[(c * perCluster + i) * dim + j] = (j === c % dim ? 10 * (1 + Math.floor(c / dim)) : 0) + 0.01 * rng.normal();
    }
  }
  return out;
}

const rowsOf = (values: Float32Array | Int32Array | Uint8Array, dim: number) =>
  Array.from({ length: values.length / dim }, (_, i) => Array.from(values.subarray(i * dim, (i + 1) * dim)));

describe('kmeansPlusPlus', () => {
  it('seeds one centre in each well-separated cluster', () => {
    const points = blobs(4, 25, 4);
    const centres = rowsOf(kmeansPlusPlus(points, 4, 4, new Rng(1)), 4);
    const clusterOf = (row: number[]) => row.findIndex((v) => v > 5);
    expect(centres.map(clusterOf).sort()).toEqual([0, 1, 2, 3]);
  });
});

describe('prepareCodebook', () => {
  it('replaces a codebook at its initial values by vectors of the batch', () => {
    const codebook: tf.Variable = tf.variable(tf.randomUniform([3, 2], -1 / 3, 1 / 3, 'float32', 1));
    const batch = tf.tensor2d([0, 10, 10, 0, 5, 5, 0, 10.01], [4, 2]);
    prepareCodebook(codebook, batch, 7, upkeep, (v) => codebook.assign(v));
    const seeded = rowsOf(codebook.dataSync() as Float32Array, 2);
    const vectors = rowsOf(batch.dataSync() as Float32Array, 2).map((r) => r.join());
    for (const row of seeded) expect(vectors).toContain(row.join());
    expect(new Set(seeded.map((r) => r.join())).size).toBe(3);
  });

  it('leaves a trained codebook (an entry beyond 1/K) alone, and initialises only once', () => {
    const values = [0, 0, 1, 1, -1, 2];
    const codebook: tf.Variable = tf.variable(tf.tensor2d(values, [3, 2]));
    prepareCodebook(codebook, tf.tensor2d([5, 5], [1, 2]), 7, upkeep, (v) => codebook.assign(v));
    expect(Array.from(codebook.dataSync())).toEqual(values);
    const fresh: tf.Variable = tf.variable(tf.fill([2, 2], 0.1));
    let assigned = 0;
    prepareCodebook(fresh, tf.tensor2d([5, 5, 6, 6], [2, 2]), 7, upkeep, (v) => (assigned++, fresh.assign(v)));
    prepareCodebook(fresh, tf.tensor2d([7, 7, 8, 8], [2, 2]), 7, upkeep, (v) => (assigned++, fresh.assign(v)));
    expect(assigned).toBe(1);
  });
});

describe('restartDeadCodes', () => {
  it(`moves the codes no vector chose in ${RESTART_EVERY} steps onto vectors of the batch`, () => {
    const codebook: tf.Variable = tf.variable(tf.tensor2d([0, 0, 9, 9, 8, 8, 7, 7], [4, 2]));
    const assign = (v: tf.Tensor) => codebook.assign(v);
    prepareCodebook(codebook, tf.tensor2d([0, 0], [1, 2]), 1, upkeep, assign); // registers it; trained values stay
    const batch = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    let moved = 0;
    for (let step = 0; step < RESTART_EVERY; step++) moved += restartDeadCodes(codebook, batch, tf.tensor1d([0, 1, 0], 'int32'), step, upkeep, assign);
    expect(moved).toBe(2);
    const rows = rowsOf(codebook.dataSync() as Float32Array, 2);
    expect(rows.slice(0, 2)).toEqual([[0, 0], [9, 9]]);
    const vectors = ['1,2', '3,4', '5,6'];
    expect(vectors).toContain(rows[2]!.join());
    expect(vectors).toContain(rows[3]!.join());
    expect(rows[2]!.join()).not.toBe(rows[3]!.join());
  });

  it('counts a step replayed with the same randomness once (a gradient check evaluates one step many times)', () => {
    const codebook: tf.Variable = tf.variable(tf.tensor2d([0, 0, 9, 9], [2, 2]));
    const assign = (v: tf.Tensor) => codebook.assign(v);
    prepareCodebook(codebook, tf.tensor2d([0, 0], [1, 2]), 1, upkeep, assign);
    let moved = 0;
    for (let call = 0; call < 3 * RESTART_EVERY; call++) moved += restartDeadCodes(codebook, tf.tensor2d([1, 1], [1, 2]), tf.tensor1d([0], 'int32'), 42, upkeep, assign);
    expect(moved).toBe(0);
    expect(Array.from(codebook.dataSync())).toEqual([0, 0, 9, 9]);
  });

  it('does nothing before the window ends or when every code is used', () => {
    const codebook: tf.Variable = tf.variable(tf.tensor2d([0, 0, 9, 9], [2, 2]));
    const assign = (v: tf.Tensor) => codebook.assign(v);
    prepareCodebook(codebook, tf.tensor2d([0, 0], [1, 2]), 1, upkeep, assign);
    let moved = 0;
    for (let step = 0; step < 2 * RESTART_EVERY; step++) moved += restartDeadCodes(codebook, tf.tensor2d([1, 1, 2, 2], [2, 2]), tf.tensor1d([0, 1], 'int32'), step, upkeep, assign);
    expect(moved).toBe(0);
    expect(Array.from(codebook.dataSync())).toEqual([0, 0, 9, 9]);
  });
});

describe('a vq model in training', () => {
  it('uses most of its codes on clustered data', async () => {
    const clusters = 16;
    const dim = 16;
    const source = `model v {
      input x: [${dim}]
      encoder { dense(32, act = relu), dense(8) }
      latent z = vq(codes = 32, dim = 8)
      decoder = mirror(encoder)
      output x_hat = linear
      loss = mse(x_hat, x) + vq_loss(z)
      train { epochs = 8, batch = 32, optimizer = adam(lr = 3e-3) }
    }`;
    const ir = analyzeSource(source, 'v.ae').irs[0]!;
    const x = blobs(clusters, 40, dim);
    const dataset = { name: 'blobs', count: clusters * 40, sampleShape: [dim], x };
    const runDir = mkdtempSync(join(tmpdir(), 'ae-vq-'));
    const result = await train({ ir, runDir, cwd: runDir, dataset, seed: 2 });
    const { codebook } = modelMetrics(result.program, dataset, ir.objective);
    // 16 distinct clusters: a collapsed codebook uses a handful of codes; this one separates them.
    expect(codebook!.used).toBeGreaterThanOrEqual(clusters);
    expect(codebook!.perplexity).toBeGreaterThan(clusters * 0.8);
    result.program.dispose();
  });
});
