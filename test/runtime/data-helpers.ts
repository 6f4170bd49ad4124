// In-memory data sets for runtime tests (the DATA engineer's loaders are tested elsewhere).
import type { InMemoryDataset } from '../../runtime/data/index.js';
import { Rng } from '../../runtime/program/rng.js';

/** Uniform samples in [0, 1). */
export function uniformDataset(count: number, width: number, seed = 1): InMemoryDataset {
  const rng = new Rng(seed);
  return { name: 'uniform', count, sampleShape: [width], x: Float32Array.from({ length: count * width }, () => rng.next()) };
}

/** x = A·s + noise with s ~ N(0, I_rank): data on a `rank`-dimensional subspace of R^width. */
export function lowRankDataset(count: number, width: number, rank: number, noise: number, seed = 7): InMemoryDataset {
  const rng = new Rng(seed);
  const basis = Array.from({ length: width * rank }, () => rng.normal());
  const offset = Array.from({ length: width }, () => rng.normal());
  const x = new Float32Array(count * width);
  for (let n = 0; n < count; n++) {
    const s = Array.from({ length: rank }, () => rng.normal());
    for (let d = 0; d < width; d++) {
      let v = offset[d]!;
      for (let r = 0; r < rank; r++) v += basis[d * rank + r]! * s[r]! / Math.sqrt(rank);
      x[n * width + d] = v + noise * rng.normal();
    }
  }
  return { name: 'low-rank', count, sampleShape: [width], x };
}
