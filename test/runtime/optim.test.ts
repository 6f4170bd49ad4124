// Optimisers against hand-computed updates; state round-trips for --resume.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOptimizer } from '../../runtime/optim/optimizer.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

function setup(values: number[]) {
  const w = tf.variable(tf.tensor1d(values));
  return { w, variables: new Map([['w', w]]) };
}

const grad = (values: number[]) => ({ w: tf.tensor1d(values) });

describe('optimisers', () => {
  it('adam: bias-corrected first step moves each weight by lr·sign(g)', () => {
    const { w, variables } = setup([1, -1]);
    const opt = createOptimizer({ kind: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }, new Set());
    opt.apply(grad([0.5, -2]), variables);
    expect(Array.from(w.dataSync()).map((v) => +v.toFixed(5))).toEqual([0.9, -0.9]);
    // Second step, by hand: m = 0.9m + 0.1g, v = 0.999v + 0.001g², corrected by 1 − β^2.
    opt.apply(grad([1, 1]), variables);
    const expected = [
      [0.5, 1, 0.9],
      [-2, 1, -0.9],
    ].map(([g1, g2, w1]) => {
      const m = 0.9 * (0.1 * g1!) + 0.1 * g2!;
      const v = 0.999 * (0.001 * g1! * g1!) + 0.001 * g2! * g2!;
      return w1! - (0.1 * (m / (1 - 0.81))) / (Math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8);
    });
    Array.from(w.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    expect(opt.step).toBe(2);
  });

  it('sgd with momentum: v = μv + g, w −= lr·v', () => {
    const { w, variables } = setup([1]);
    const opt = createOptimizer({ kind: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0 }, new Set());
    opt.apply(grad([1]), variables);
    opt.apply(grad([1]), variables);
    expect(w.dataSync()[0]).toBeCloseTo(1 - 0.1 - 0.1 * 1.9, 6);
  });

  it('rmsprop: w −= lr·g / (√ms + ε)', () => {
    const { w, variables } = setup([1]);
    const opt = createOptimizer({ kind: 'rmsprop', lr: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7, weightDecay: 0 }, new Set());
    opt.apply(grad([2]), variables);
    expect(w.dataSync()[0]).toBeCloseTo(1 - (0.01 * 2) / (Math.sqrt(0.1 * 4) + 1e-7), 6);
  });

  it('weight decay is decoupled and only for the decayed ids', () => {
    const w = tf.variable(tf.tensor1d([2]));
    const b = tf.variable(tf.tensor1d([2]));
    const opt = createOptimizer({ kind: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0.5 }, new Set(['w']));
    opt.apply({ w: tf.tensor1d([0]), b: tf.tensor1d([0]) }, new Map([['w', w], ['b', b]]));
    expect(w.dataSync()[0]).toBeCloseTo(2 - 0.1 * 0.5 * 2, 6);
    expect(b.dataSync()[0]).toBe(2);
  });

  it('state round-trips: a restored optimiser continues exactly', async () => {
    const spec = { kind: 'adam', lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 } as const;
    const a = setup([1, 2]);
    const optA = createOptimizer(spec, new Set());
    optA.apply(grad([0.3, -0.1]), a.variables);
    const state = await optA.state();
    expect(Object.keys(state.slots).sort()).toEqual(['w/m', 'w/v']);
    const b = setup(Array.from(a.w.dataSync()));
    const optB = createOptimizer(spec, new Set());
    optB.load(state, b.variables);
    optA.apply(grad([0.2, 0.4]), a.variables);
    optB.apply(grad([0.2, 0.4]), b.variables);
    expect(Array.from(b.w.dataSync())).toEqual(Array.from(a.w.dataSync()));
  });

  it('leaks nothing per step', () => {
    const { variables } = setup([1, 2, 3]);
    const opt = createOptimizer({ kind: 'rmsprop', lr: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7, weightDecay: 0.1 }, new Set(['w']));
    const g = tf.tensor1d([1, 1, 1]);
    opt.apply({ w: g }, variables);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) opt.apply({ w: g }, variables);
    expect(tf.memory().numTensors).toBe(before);
  });
});
