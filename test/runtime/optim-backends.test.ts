// The fused optimiser update (concat, one rule, split) on wasm against cpu, and cpu against the
// per-parameter update written out by hand, for every rule: kernels are not trusted (wasm has wrong
// ones), so the kernels this update launches are checked where they run.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Optimizer as OptimizerSpec } from '../../ir/types.js';
import { selectBackend } from '../../runtime/backends/index.js';
import { createOptimizer } from '../../runtime/optim/optimizer.js';
import { Rng } from '../../runtime/program/rng.js';

const specs: OptimizerSpec[] = [
  { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.1 },
  { kind: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 0 },
  { kind: 'rmsprop', lr: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7, weightDecay: 0.01 },
];
// Small parameters share one fused update; c.kernel (16,900 values) is large enough for its own.
const shapes: Record<string, number[]> = { 'a.kernel': [5, 3], 'a.bias': [3], 'c.kernel': [130, 130], 'b.kernel': [2, 2, 1, 4] };

/** Three steps of `spec` on fixed weights and gradients; the final weights by parameter. */
function run(spec: OptimizerSpec): Record<string, number[]> {
  const rng = new Rng(11);
  const values = (shape: number[]) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1);
  const variables = new Map(Object.entries(shapes).map(([id, shape]) => [id, tf.variable(tf.tensor(values(shape), shape), false)]));
  const optimizer = createOptimizer(spec, new Set(['a.kernel', 'b.kernel', 'c.kernel']));
  for (let step = 0; step < 3; step++) {
    const grads = Object.fromEntries(Object.entries(shapes).map(([id, shape]) => [id, tf.tensor(values(shape), shape)]));
    optimizer.apply(grads, variables);
    Object.values(grads).forEach((g) => g.dispose());
  }
  const out = Object.fromEntries([...variables].map(([id, v]) => [id, Array.from(v.dataSync())]));
  optimizer.dispose();
  variables.forEach((v) => v.dispose());
  return out;
}

/** The same three steps, one parameter at a time, in plain arithmetic (float64). */
function byHand(spec: OptimizerSpec): Record<string, number[]> {
  const rng = new Rng(11);
  const values = (shape: number[]) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround(rng.next() * 2 - 1));
  const w = Object.fromEntries(Object.entries(shapes).map(([id, shape]) => [id, values(shape)]));
  const slots: Record<string, number[][]> = Object.fromEntries(Object.keys(shapes).map((id) => [id, [w[id]!.map(() => 0), w[id]!.map(() => 0)]]));
  for (let t = 1; t <= 3; t++) {
    for (const [id, shape] of Object.entries(shapes)) {
      const g = values(shape);
      const [a, b] = slots[id]!;
      const decay = ['a.kernel', 'b.kernel', 'c.kernel'].includes(id) ? spec.weightDecay : 0;
      w[id] = w[id]!.map((x, i) => {
        let delta: number;
        if (spec.kind === 'adam') {
          a![i] = spec.beta1 * a![i]! + (1 - spec.beta1) * g[i]!;
          b![i] = spec.beta2 * b![i]! + (1 - spec.beta2) * g[i]! ** 2;
          delta = (spec.lr * (a![i]! / (1 - spec.beta1 ** t))) / (Math.sqrt(b![i]! / (1 - spec.beta2 ** t)) + spec.epsilon);
        } else if (spec.kind === 'sgd') {
          a![i] = spec.momentum * a![i]! + g[i]!;
          delta = spec.lr * a![i]!;
        } else {
          a![i] = spec.rho * a![i]! + (1 - spec.rho) * g[i]! ** 2;
          b![i] = spec.momentum * b![i]! + (spec.lr * g[i]!) / (Math.sqrt(a![i]!) + spec.epsilon);
          delta = b![i]!;
        }
        return x - delta - spec.lr * decay * x;
      });
    }
  }
  return w;
}

afterAll(async () => {
  await selectBackend('cpu');
});

describe('the fused optimiser update', () => {
  for (const spec of specs) {
    it(`${spec.kind}: cpu matches the update by hand, wasm matches cpu`, async () => {
      await selectBackend('cpu');
      const cpu = run(spec);
      const expected = byHand(spec);
      for (const id of Object.keys(shapes)) cpu[id]!.forEach((v, i) => expect(v, `${id}[${i}]`).toBeCloseTo(expected[id]![i]!, 5));
      await selectBackend('wasm');
      expect(tf.getBackend()).toBe('wasm');
      const wasm = run(spec);
      for (const id of Object.keys(shapes)) wasm[id]!.forEach((v, i) => expect(Math.abs(v - cpu[id]![i]!), `${id}[${i}] on wasm`).toBeLessThan(1e-6 * Math.max(1, Math.abs(v))));
    });
  }
});
