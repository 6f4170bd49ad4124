// Initial values for a parameter from its IR initialiser, drawn from the program's seeded PRNG.
import type { Initializer } from '../../ir/types.js';
import type { Rng } from './rng.js';

/** Fan-in and fan-out of a kernel: [in, out] dense, [kh, kw, in, out] conv (receptive field × channels). */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

export function initialValues(init: Initializer, shape: readonly number[], rng: Rng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  const { fanIn, fanOut } = fans(shape);
  switch (init) {
    case 'zeros':
      return values;
    case 'ones':
      return values.fill(1);
    case 'glorot_uniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) values[i] = (2 * rng.next() - 1) * limit;
      return values;
    }
    case 'he_normal': {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
      return values;
    }
    case 'uniform_unit': {
      // VQ codebooks: U(-1/K, 1/K) with K the number of codes (the first dimension).
      const limit = 1 / (shape[0] ?? 1);
      for (let i = 0; i < size; i++) values[i] = (2 * rng.next() - 1) * limit;
      return values;
    }
    case 'normal': {
      for (let i = 0; i < size; i++) values[i] = rng.normal() * 0.05;
      return values;
    }
    default: {
      const unknown: never = init;
      throw new Error(`unknown initialiser '${String(unknown)}'`);
    }
  }
}
