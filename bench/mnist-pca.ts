// The baseline the README's main job is measured against: PCA with the same code width on MNIST.
// Fits the principal subspace on the 60,000 training images and prints the mean squared error per
// pixel of the 10,000 test images projected onto it (pixels in [0, 1], as the autoencoder sees them).
//
//   node --import tsx bench/mnist-pca.ts [code widths...]     (default: 16)
//
// The covariance is one 784×784 matMul on the tfjs backend; the top-k eigenvectors come from
// orthogonal (subspace) iteration with oversampling, which converges to the subspace in a few hundred
// steps — the reconstruction error depends only on that subspace, not on the individual vectors.
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../runtime/backends/index.js';
import { loadDataset, sampleRange } from '../runtime/data/index.js';
import type { IRInput } from '../ir/types.js';

const PIXELS = 784;
const input: IRInput = { name: 'x', kind: 'tensor', shape: [null, PIXELS], dtype: 'float32', range: [0, 1] };

async function main(): Promise<void> {
  const widths = process.argv.slice(2).map(Number);
  const codeWidths = widths.length > 0 ? widths : [16];
  await selectBackend('auto', { log: (line) => console.log(line) });
  const train = await loadDataset({ kind: 'mnist', split: 'train' }, input, { cwd: process.cwd() });
  const test = await loadDataset({ kind: 'mnist', split: 'test' }, input, { cwd: process.cwd() });
  const started = performance.now();
  const { mean, covariance } = meanAndCovariance(sampleRange(train, 0, train.count), train.count);
  for (const k of codeWidths) {
    const basis = principalSubspace(covariance, k);
    const mse = projectionError(sampleRange(test, 0, test.count), test.count, mean, basis, k);
    console.log(`PCA k=${k}: test MSE per pixel ${mse.toFixed(5)}`);
  }
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s on ${tf.getBackend()})`);
}

function meanAndCovariance(x: Float32Array, count: number): { mean: Float32Array; covariance: Float64Array } {
  const [mean, covariance] = tf.tidy(() => {
    const data = tf.tensor2d(x, [count, PIXELS]);
    const mean = tf.mean(data, 0);
    const centred = tf.sub(data, mean);
    return [mean, tf.div(tf.matMul(centred, centred, true, false), count - 1)];
  });
  const result = { mean: mean.dataSync() as Float32Array, covariance: Float64Array.from(covariance.dataSync()) };
  tf.dispose([mean, covariance]);
  return result;
}

/** Top-k eigenvectors of a symmetric PSD matrix, as k orthonormal rows of length n. */
function principalSubspace(c: Float64Array, k: number, iterations = 400): Float64Array {
  const n = PIXELS;
  const width = Math.min(n, k + 10); // oversampling speeds convergence of the k-th vector
  let q: Float64Array = new Float64Array(width * n);
  let seed = 12345;
  for (let i = 0; i < q.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    q[i] = seed / 2147483648 - 0.5;
  }
  orthonormaliseRows(q, width, n);
  for (let step = 0; step < iterations; step++) {
    q = multiplyRows(c, q, width, n);
    orthonormaliseRows(q, width, n);
  }
  // Rayleigh-Ritz: order the iterated vectors by eigenvalue and keep the k largest.
  const scores = Array.from({ length: width }, (_, r) => {
    const row = q.subarray(r * n, (r + 1) * n);
    const cRow = multiplyRows(c, row, 1, n);
    return { r, value: dot(row, cRow) };
  }).sort((a, b) => b.value - a.value);
  const basis = new Float64Array(k * n);
  scores.slice(0, k).forEach(({ r }, i) => basis.set(q.subarray(r * n, (r + 1) * n), i * n));
  return basis;
}

function multiplyRows(c: Float64Array, rows: Float64Array, count: number, n: number): Float64Array {
  const out = new Float64Array(count * n);
  for (let r = 0; r < count; r++) {
    const v = rows.subarray(r * n, (r + 1) * n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      const offset = i * n;
      for (let j = 0; j < n; j++) sum += c[offset + j]! * v[j]!;
      out[r * n + i] = sum;
    }
  }
  return out;
}

function orthonormaliseRows(rows: Float64Array, count: number, n: number): void {
  for (let r = 0; r < count; r++) {
    const v = rows.subarray(r * n, (r + 1) * n);
    for (let p = 0; p < r; p++) {
      const u = rows.subarray(p * n, (p + 1) * n);
      const projection = dot(u, v);
      for (let i = 0; i < n; i++) v[i]! -= projection * u[i]!;
    }
    const norm = Math.sqrt(dot(v, v));
    for (let i = 0; i < n; i++) v[i]! /= norm;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function projectionError(x: Float32Array, count: number, mean: Float32Array, basis: Float64Array, k: number): number {
  let total = 0;
  const centred = new Float64Array(PIXELS);
  const code = new Float64Array(k);
  for (let s = 0; s < count; s++) {
    for (let i = 0; i < PIXELS; i++) centred[i] = x[s * PIXELS + i]! - mean[i]!;
    for (let j = 0; j < k; j++) code[j] = dot(basis.subarray(j * PIXELS, (j + 1) * PIXELS), centred);
    for (let i = 0; i < PIXELS; i++) {
      let reconstructed = 0;
      for (let j = 0; j < k; j++) reconstructed += code[j]! * basis[j * PIXELS + i]!;
      const error = reconstructed - centred[i]!;
      total += error * error;
    }
  }
  return total / (count * PIXELS);
}

await main();
