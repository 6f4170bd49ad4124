import * as tf from '@tensorflow/tfjs-core';
import type { OpCase } from './cases.js';
import { seededTensor } from './seeded.js';

export interface CaseResult {
  forward: number[];
  /** Gradient of sum(op(x) · w) for each differentiable input, in input order. */
  grads: number[][];
}

/** Runs one case on the current backend from seeded inputs and copies everything out. */
export function runCase(opCase: OpCase): CaseResult {
  const result: CaseResult = { forward: [], grads: [] };
  tf.tidy(() => {
    const xs = opCase.inputs.map((spec, i) => seededTensor(spec, 1000 + i));
    const y = opCase.run(...xs);
    result.forward = Array.from(y.dataSync());
    const weights = seededTensor({ shape: y.shape }, 999);
    const differentiable = opCase.inputs.flatMap((spec, i) => (spec.grad === false ? [] : [i]));
    if (differentiable.length === 0) return;
    const loss = (...ds: tf.Tensor[]) => {
      const all = xs.slice();
      differentiable.forEach((inputIndex, j) => (all[inputIndex] = ds[j]!));
      return tf.sum(tf.mul(opCase.run(...all), weights));
    };
    const grads = tf.grads(loss)(differentiable.map((i) => xs[i]!));
    result.grads = grads.map((g) => Array.from(g.dataSync()));
  });
  return result;
}

/** Largest |a − b|, and whether every pair is within tolerance · max(1, |reference|). */
export function compareArrays(actual: number[], reference: number[], tolerance: number): { maxAbs: number; ok: boolean } {
  if (actual.length !== reference.length) return { maxAbs: Infinity, ok: false };
  let maxAbs = 0;
  let ok = true;
  for (let i = 0; i < actual.length; i++) {
    const diff = Math.abs(actual[i]! - reference[i]!);
    if (!(diff <= tolerance * Math.max(1, Math.abs(reference[i]!)))) ok = false;
    maxAbs = Math.max(maxAbs, Number.isNaN(diff) ? Infinity : diff);
  }
  return { maxAbs, ok };
}
