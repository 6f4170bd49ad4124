import { describe, expect, it } from 'vitest';
import { generateSynthetic, loadDataset } from '../../runtime/data/index.js';
import { createRandom, mulberry32 } from '../../runtime/random.js';
import { imageInput, valuesOf } from './inputs.js';

describe('seeded randomness', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(c()).not.toBe(first[0]);
    expect(first.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('draws normals with mean ≈ 0 and variance ≈ 1', () => {
    const random = createRandom(1);
    const n = 20000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const v = random.normal();
      sum += v;
      squares += v * v;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(squares / n - 1)).toBeLessThan(0.05);
  });

  it('permutes every index exactly once', () => {
    const order = createRandom(3).permutation(100);
    expect(Array.from(order).sort((p, q) => p - q)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(order)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('synthetic data', () => {
  const input = imageInput([6], [0, 1]);

  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateSynthetic({ samples: 50, seed: 5, rank: 2 }, input);
    const b = generateSynthetic({ samples: 50, seed: 5, rank: 2 }, input);
    const c = generateSynthetic({ samples: 50, seed: 6, rank: 2 }, input);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
  });

  it('fills the declared range and keeps the first samples under a limit', async () => {
    const all = generateSynthetic({ samples: 50, seed: 5 }, input);
    expect(all.count).toBe(50);
    expect(all.sampleShape).toEqual([6]);
    expect(Math.min(...all.x)).toBe(0);
    expect(Math.max(...all.x)).toBe(1);
    const first = await loadDataset({ kind: 'synthetic', samples: 50, seed: 5 }, input, { cwd: '.', limit: 10 });
    expect(first.count).toBe(10);
    expect(Array.from(valuesOf(first))).toEqual(Array.from(all.x.subarray(0, 60)));
  });

  it('lies near a subspace of the given rank', () => {
    // Without noise, rank-1 data: every sample is a multiple of one direction (no range → no shift).
    const data = generateSynthetic({ samples: 20, seed: 9, rank: 1, noise: 0 }, imageInput([4]));
    const direction = Array.from(valuesOf(data).subarray(0, 4));
    for (let n = 1; n < 20; n++) {
      const sample = Array.from(valuesOf(data).subarray(n * 4, n * 4 + 4));
      const ratio = sample[0] / direction[0];
      sample.forEach((v, j) => expect(v).toBeCloseTo(ratio * direction[j], 4));
    }
  });

  it('rejects an input shape with unknown dimensions', () => {
    expect(() => generateSynthetic({ samples: 4, seed: 0 }, imageInput([null, 3]))).toThrow('needs a fully known input shape');
  });
});
