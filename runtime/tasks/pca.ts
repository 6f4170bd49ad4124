// Principal components: the baseline every use is measured against (PCA reconstruction error for
// anomaly scores, PCA codes for retrieval) and the projection of wide codes onto a 2-D latent map.
// The covariance is one matrix product on the backend; its top components come from subspace
// iteration with oversampling (products on the backend, orthonormalisation in float64), finished by
// Rayleigh–Ritz with Jacobi's eigenvalue method on the small projected matrix.
import * as tf from '@tensorflow/tfjs-core';
import { tidyValue } from '../program/gradient.js';
import { TaskError } from './task-error.js';

export interface Pca {
  width: number;
  mean: Float64Array;
  /** components × width, orthonormal rows, by decreasing variance. */
  components: Float64Array;
  /** The variance along each component. */
  variances: number[];
}

/** The top `components` principal components of `count` rows of `x`. */
export function fitPca(x: Float32Array, count: number, components: number, options: { iterations?: number } = {}): Pca {
  const width = x.length / count;
  if (!Number.isInteger(width) || count < 2) throw new TaskError(`PCA needs at least 2 samples of equal width, got ${count}`);
  if (components < 1 || components > width) throw new TaskError(`PCA of ${width}-wide data has 1..${width} components, asked for ${components}`);
  const [meanTensor, covarianceTensor] = tf.tidy(() => {
    const data = tf.tensor2d(x, [count, width]);
    const mean = tf.mean(data, 0);
    const centred = tf.sub(data, mean);
    // An explicit transpose: tfjs-wasm's matMul with transposeA is many times slower than a plain one.
    return [mean, tf.div(tf.matMul(tf.transpose(centred), centred), count - 1)];
  });
  const mean = Float64Array.from(meanTensor.dataSync());
  const covariance = covarianceTensor as tf.Tensor2D;
  try {
    const subspace = Math.min(width, components + 10);
    let q = orthonormalColumns(seededMatrix(width, subspace), width, subspace);
    for (let step = 0; step < (options.iterations ?? 150); step++) q = orthonormalColumns(multiply(covariance, q, width, subspace), width, subspace);
    // Rayleigh–Ritz: B = Qᵀ C Q, its eigenvectors rotate Q onto the components.
    const cq = multiply(covariance, q, width, subspace);
    const b = Array.from({ length: subspace }, (_, i) =>
      Array.from({ length: subspace }, (_, j) => {
        let sum = 0;
        for (let r = 0; r < width; r++) sum += q[r * subspace + i]! * cq[r * subspace + j]!;
        return sum;
      }),
    );
    const { values, vectors } = jacobiEigen(b);
    const order = values.map((v, i) => ({ v, i })).sort((a, c) => c.v - a.v).slice(0, components);
    const basis = new Float64Array(components * width);
    order.forEach(({ i }, c) => {
      for (let r = 0; r < width; r++) {
        let sum = 0;
        for (let j = 0; j < subspace; j++) sum += q[r * subspace + j]! * vectors[j]![i]!;
        basis[c * width + r] = sum;
      }
    });
    return { width, mean, components: basis, variances: order.map(({ v }) => v) };
  } finally {
    tf.dispose([meanTensor, covarianceTensor]);
  }
}

/** Each row's coordinates on the components: [count, components]. */
export function projectPca(pca: Pca, x: Float32Array): Float32Array {
  const count = x.length / pca.width;
  const k = pca.components.length / pca.width;
  const out = new Float32Array(count * k);
  for (let n = 0; n < count; n++) {
    for (let c = 0; c < k; c++) {
      let sum = 0;
      for (let d = 0; d < pca.width; d++) sum += (x[n * pca.width + d]! - pca.mean[d]!) * pca.components[c * pca.width + d]!;
      out[n * k + c] = sum;
    }
  }
  return out;
}

/** Each row's mean squared error per element after projecting onto the components and back. */
export function pcaReconstructionErrors(pca: Pca, x: Float32Array): Float32Array {
  const count = x.length / pca.width;
  const k = pca.components.length / pca.width;
  const codes = projectPca(pca, x);
  const errors = new Float32Array(count);
  for (let n = 0; n < count; n++) {
    let sum = 0;
    for (let d = 0; d < pca.width; d++) {
      let value = pca.mean[d]!;
      for (let c = 0; c < k; c++) value += codes[n * k + c]! * pca.components[c * pca.width + d]!;
      sum += (value - x[n * pca.width + d]!) ** 2;
    }
    errors[n] = sum / pca.width;
  }
  return errors;
}

function seededMatrix(rows: number, columns: number): Float64Array {
  const out = new Float64Array(rows * columns);
  let seed = 12345;
  for (let i = 0; i < out.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    out[i] = seed / 2147483648 - 0.5;
  }
  return out;
}

function multiply(covariance: tf.Tensor2D, q: Float64Array, width: number, columns: number): Float64Array {
  return tidyValue(() => Float64Array.from(tf.matMul(covariance, tf.tensor2d(Float32Array.from(q), [width, columns])).dataSync()));
}

/** Modified Gram–Schmidt on the columns of a rows × columns matrix (row-major). */
function orthonormalColumns(m: Float64Array, rows: number, columns: number): Float64Array {
  for (let c = 0; c < columns; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += m[r * columns + p]! * m[r * columns + c]!;
      for (let r = 0; r < rows; r++) m[r * columns + c]! -= dot * m[r * columns + p]!;
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += m[r * columns + c]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let r = 0; r < rows; r++) m[r * columns + c]! /= norm;
  }
  return m;
}

/** Eigenvalues and eigenvectors (columns of `vectors`) of a small symmetric matrix, cyclic Jacobi. */
export function jacobiEigen(matrix: number[][]): { values: number[]; vectors: number[][] } {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const v = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-24) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p]![q]!) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * a[p]![q]!);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: a.map((row, i) => row[i]!), vectors: v };
}
