// Walking between two inputs in code space: encode both, decode the points between them. Gaussian
// codes are interpolated on the sphere (slerp), because a straight line between two draws of
// N(0, I) passes through the low-norm middle the decoder rarely saw; other codes on a straight line.
import * as tf from '@tensorflow/tfjs-core';
import { readSamples, type Dataset } from '../data/index.js';
import { conditionInputs } from './condition.js';
import type { Program } from '../program/program.js';
import { decode } from './decode.js';
import { encode, type TensorValues } from './infer.js';
import { latentKind } from './latent.js';
import { TaskError } from './task-error.js';

export interface InterpolateOptions {
  from: number;
  to: number;
  /** Points on the path, both ends included (default 8). */
  steps?: number;
  /** Default: spherical for gaussian codes, linear otherwise. */
  path?: 'linear' | 'spherical';
  /** A conditional model's class to decode the path as (its decoder's label). */
  condition?: number;
}

export interface Interpolation {
  /** The two inputs, [2, ...sample shape]. */
  ends: TensorValues;
  codes: TensorValues;
  samples: TensorValues;
}

export function interpolate(program: Program, dataset: Dataset, options: InterpolateOptions): Interpolation {
  const steps = options.steps ?? 8;
  if (!Number.isInteger(steps) || steps < 2) throw new TaskError(`an interpolation needs at least 2 steps (its two ends), got ${steps}`);
  for (const [name, index] of [['from', options.from], ['to', options.to]] as const) {
    if (!Number.isInteger(index) || index < 0 || index >= dataset.count) {
      throw new TaskError(`${name} = ${index} is not a sample of ${dataset.name} (0-based rows 0..${dataset.count - 1})`);
    }
  }
  // A missing condition is reported before anything is encoded.
  tf.dispose(Object.values(conditionInputs(program.ir, options.condition, 0)));
  const width = dataset.sampleShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(2 * width);
  readSamples(dataset, [options.from, options.to], 0, 2, x);
  // A conditional encoder reads each end's own label.
  const labels = dataset.labels ? Int32Array.of(dataset.labels[options.from]!, dataset.labels[options.to]!) : undefined;
  const pair: Dataset = { name: dataset.name, count: 2, sampleShape: dataset.sampleShape, x, ...(labels ? { labels } : {}) };
  const ends = encode(program, pair);
  const size = ends.values.length / 2;
  const a = ends.values.subarray(0, size);
  const b = ends.values.subarray(size);
  const spherical = (options.path ?? (latentKind(program.ir) === 'gaussian' ? 'spherical' : 'linear')) === 'spherical';
  const values = new Float32Array(steps * size);
  for (let s = 0; s < steps; s++) values.set(spherical ? slerp(a, b, s / (steps - 1)) : lerp(a, b, s / (steps - 1)), s * size);
  const codes = { values, shape: [steps, ...ends.shape.slice(1)] };
  return { ends: { values: x, shape: [2, ...dataset.sampleShape] }, codes, samples: decode(program, codes, options.condition !== undefined ? { condition: options.condition } : {}) };
}

export function lerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float32Array {
  return Float32Array.from({ length: a.length }, (_, i) => (1 - t) * a[i]! + t * b[i]!);
}

/** Spherical interpolation (Shoemake) on the raw vectors, the form DCGAN and pythae use. */
export function slerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float32Array {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! ** 2;
    normB += b[i]! ** 2;
  }
  normA = Math.sqrt(normA);
  normB = Math.sqrt(normB);
  if (normA === 0 || normB === 0) return lerp(a, b, t);
  const omega = Math.acos(Math.min(1, Math.max(-1, dot / (normA * normB))));
  if (omega < 1e-6) return lerp(a, b, t);
  const wa = Math.sin((1 - t) * omega) / Math.sin(omega);
  const wb = Math.sin(t * omega) / Math.sin(omega);
  return Float32Array.from({ length: a.length }, (_, i) => wa * a[i]! + wb * b[i]!);
}
