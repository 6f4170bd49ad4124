// The theory test: a linear autoencoder with a k-wide code cannot beat PCA with k components
// (Baldi & Hornik 1989), and trained well it reaches it. PCA here is computed independently of
// tfjs: the covariance in float64 and its eigenvalues by the cyclic Jacobi method.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { train } from '../../runtime/train/train.js';
import { averageLoss } from '../../runtime/train/validate.js';
import { modelInputs } from '../../runtime/train/batches.js';
import { adam, mlpAutoencoder, mseTerm, phase } from './ir-builders.js';
import { lowRankDataset } from './data-helpers.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

function covariance(x: Float32Array, count: number, width: number): number[][] {
  const mean = new Array<number>(width).fill(0);
  for (let n = 0; n < count; n++) for (let d = 0; d < width; d++) mean[d]! += x[n * width + d]! / count;
  const c = Array.from({ length: width }, () => new Array<number>(width).fill(0));
  for (let n = 0; n < count; n++) {
    for (let i = 0; i < width; i++) {
      const a = x[n * width + i]! - mean[i]!;
      for (let j = 0; j < width; j++) c[i]![j]! += (a * (x[n * width + j]! - mean[j]!)) / count;
    }
  }
  return c;
}

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations. */
function jacobiEigenvalues(matrix: number[][]): number[] {
  const a = matrix.map((row) => [...row]);
  const n = a.length;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-22) break;
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
      }
    }
  }
  return a.map((row, i) => row[i]!).sort((x, y) => y - x);
}

it('jacobi finds the eigenvalues of a known matrix', () => {
  const values = jacobiEigenvalues([
    [2, 1, 0],
    [1, 2, 0],
    [0, 0, 5],
  ]);
  expect(values.map((v) => +v.toFixed(9))).toEqual([5, 3, 1]);
});

it('a linear autoencoder lands on the PCA optimum and never below it', async () => {
  const width = 20;
  const code = 3;
  const data = lowRankDataset(256, width, code, 0.1);
  const eigen = jacobiEigenvalues(covariance(data.x, data.count, width));
  // Mean squared error per element of the best rank-3 affine reconstruction.
  const optimum = eigen.slice(code).reduce((a, b) => a + b, 0) / width;

  const objective = [mseTerm()];
  const ir = mlpAutoencoder({
    inputWidth: width,
    code,
    range: [-10, 10],
    objective,
    // A fast phase, then a slow full-batch one to settle on the minimum (phases run in order).
    phases: [
      phase(objective, { name: 'fast', optimizer: adam(0.03), epochs: 100, batch: 32, seed: 2 }),
      phase(objective, { name: 'settle', optimizer: adam(0.002), epochs: 60, batch: 256, seed: 2 }),
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), 'ae-pca-'));
  const result = await train({ ir, runDir: dir, cwd: dir, dataset: data });
  const { loss } = averageLoss(result.program, data, modelInputs(ir), { objective, batch: 256 });
  result.program.dispose();
  expect(loss).toBeGreaterThanOrEqual(optimum * (1 - 1e-4));
  expect(loss).toBeLessThan(optimum * 1.03);
});
