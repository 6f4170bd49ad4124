// PCA, the baseline of the uses' examples: on data with a known covariance (independent axes of
// known spread, rotated by a known orthogonal matrix) it recovers the axes and their variances.
import { beforeAll, expect, it } from 'vitest';
import { Rng } from '../../runtime/program/rng.js';
import { fitPca, jacobiEigen, pcaReconstructionErrors, projectPca } from '../../runtime/tasks/pca.js';
import { useCpu } from '../runtime/setup.js';

beforeAll(useCpu);

it('recovers rotated axes with their variances, and reconstructs within the dropped variance', () => {
  const width = 6;
  const stds = [5, 3, 2, 0.5, 0.2, 0.1];
  // A rotation: the eigenvectors of a random symmetric matrix.
  const rng = new Rng(9);
  const s = Array.from({ length: width }, () => new Array<number>(width).fill(0));
  for (let i = 0; i < width; i++) for (let j = i; j < width; j++) s[i]![j] = s[j]![i] = rng.normal();
  const rotation = jacobiEigen(s).vectors;
  const count = 20000;
  const x = new Float32Array(count * width);
  for (let n = 0; n < count; n++) {
    const z = stds.map((sd) => sd * rng.normal());
    for (let d = 0; d < width; d++) x[n * width + d] = 1 + z.reduce((sum, v, c) => sum + v * rotation[d]![c]!, 0);
  }
  const pca = fitPca(x, count, 3);
  for (let c = 0; c < 3; c++) {
    expect(pca.variances[c]! / stds[c]! ** 2).toBeGreaterThan(0.95);
    expect(pca.variances[c]! / stds[c]! ** 2).toBeLessThan(1.05);
    const dot = Array.from({ length: width }, (_, d) => pca.components[c * width + d]! * rotation[d]![c]!).reduce((a, b) => a + b, 0);
    expect(Math.abs(dot)).toBeGreaterThan(0.999);
  }
  const codes = projectPca(pca, x);
  expect(codes.length).toBe(count * 3);
  const errors = pcaReconstructionErrors(pca, x);
  const meanError = errors.reduce((a, b) => a + b, 0) / count;
  const dropped = (0.5 ** 2 + 0.2 ** 2 + 0.1 ** 2) / width;
  expect(meanError / dropped).toBeGreaterThan(0.95);
  expect(meanError / dropped).toBeLessThan(1.05);
});
