// Seeded synthetic data with known structure: samples lie near a random `rank`-dimensional linear
// subspace (x = z·W + noise, z ~ N(0, I)), so an autoencoder with a latent of at least `rank`
// dimensions can reconstruct them up to the noise, and a smaller latent cannot. The same seed gives
// the same numbers everywhere (runtime/random.ts). With a declared range the data set is mapped
// affinely onto it (min → low, max → high); an affine map keeps the low-rank structure.

import { totalmem } from 'node:os';
import type { IRInput } from '../../ir/types.js';
import { Random } from '../random.js';
import type { InMemoryDataset } from './dataset.js';
import { DataError, formatShape, product } from './errors.js';

export interface SyntheticOptions {
  samples: number;
  seed: number;
  /** Dimension of the subspace; default min(8, values per sample). */
  rank?: number;
  /** Standard deviation of the added Gaussian noise, before range mapping; default 0.05. */
  noise?: number;
}

export const DEFAULT_SYNTHETIC_NOISE = 0.05;

export function generateSynthetic(options: SyntheticOptions, input: IRInput, limit?: number): InMemoryDataset {
  const declared = input.shape.slice(1);
  if (declared.some((d) => d === null)) {
    throw new DataError(`synthetic data needs a fully known input shape, but input '${input.name}' is ${formatShape(declared)}`);
  }
  const sampleShape = declared as number[];
  const size = product(sampleShape);
  const rank = options.rank ?? Math.min(8, size);
  const noise = options.noise ?? DEFAULT_SYNTHETIC_NOISE;
  if (!Number.isInteger(options.samples) || options.samples < 1) throw new DataError(`synthetic: samples must be a positive integer, got ${options.samples}`);
  if (!Number.isInteger(rank) || rank < 1) throw new DataError(`synthetic: rank must be a positive integer, got ${rank}`);
  if (!(noise >= 0)) throw new DataError(`synthetic: noise must be ≥ 0, got ${noise}`);
  // Refused before anything is allocated or generated (every sample is generated, limit or not).
  const values = options.samples * size;
  if (values > maxSyntheticValues()) {
    throw new DataError(
      `synthetic: ${options.samples.toLocaleString('en-US')} samples × ${size.toLocaleString('en-US')} values is ${gigabytes(values * 4)} as float32, ` +
        `more than this machine's memory (${gigabytes(totalmem())}) or a typed array (${MAX_ARRAY_LENGTH.toLocaleString('en-US')} values) holds; ask for fewer samples`,
    );
  }

  const random = new Random(options.seed);
  const basis = new Float64Array(rank * size);
  const scale = 1 / Math.sqrt(rank);
  for (let i = 0; i < basis.length; i++) basis[i] = random.normal() * scale;

  // Generate every sample even under a limit, so the first N samples do not depend on the limit.
  const count = Math.min(limit ?? options.samples, options.samples);
  const x = new Float32Array(count * size);
  const z = new Float64Array(rank);
  let min = Infinity;
  let max = -Infinity;
  for (let n = 0; n < options.samples; n++) {
    for (let k = 0; k < rank; k++) z[k] = random.normal();
    for (let j = 0; j < size; j++) {
      let value = 0;
      for (let k = 0; k < rank; k++) value += z[k] * basis[k * size + j];
      value += noise * random.normal();
      if (value < min) min = value;
      if (value > max) max = value;
      if (n < count) x[n * size + j] = value;
    }
  }
  if (input.range) mapOntoRange(x, input.range, min, max);
  return { name: `synthetic(seed=${options.seed}, rank=${rank})`, count, sampleShape: [...sampleShape], x };
}

/** The longest Float32Array Node allocates (2^32 - 1 elements in V8 on 64-bit). */
const MAX_ARRAY_LENGTH = 2 ** 32 - 1;

function maxSyntheticValues(): number {
  return Math.min(MAX_ARRAY_LENGTH, totalmem() / 4);
}

function gigabytes(bytes: number): string {
  return `${Number((bytes / 1e9).toPrecision(3)).toLocaleString('en-US')} GB`;
}

/** min and max are over all samples, so a limit does not change the first samples' values. */
function mapOntoRange(x: Float32Array, [low, high]: [number, number], min: number, max: number): void {
  const scale = max > min ? (high - low) / (max - min) : 0;
  for (let i = 0; i < x.length; i++) x[i] = Math.min(high, Math.max(low, low + (x[i] - min) * scale));
}
