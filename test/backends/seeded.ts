import * as tf from '@tensorflow/tfjs-core';
import { mulberry32 } from '../../runtime/random.js';

/** The runtime's own seeded generator (mulberry32): a failing seed can be replayed. */
export const seededRandom = mulberry32;

export type InputKind = 'normal' | 'positive' | { ints: number };

export interface InputSpec {
  shape: number[];
  kind?: InputKind;
}

export function seededValues(spec: InputSpec, seed: number): Float32Array | Int32Array {
  const random = seededRandom(seed);
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const kind = spec.kind ?? 'normal';
  if (typeof kind === 'object') return Int32Array.from({ length: size }, () => Math.floor(random() * kind.ints));
  if (kind === 'positive') return Float32Array.from({ length: size }, () => 0.5 + 1.5 * random());
  // Box–Muller.
  return Float32Array.from({ length: size }, () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  });
}

export function seededTensor(spec: InputSpec, seed: number): tf.Tensor {
  const values = seededValues(spec, seed);
  return tf.tensor(values, spec.shape, values instanceof Int32Array ? 'int32' : 'float32');
}
