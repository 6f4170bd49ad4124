// The onnx engine's optimiser loops (WebAssembly SIMD over one arena, runtime/engines/onnx/
// update.ts) against the tfjs optimiser on the cpu reference, for every rule, on arrays whose
// lengths are not whole groups of four, laid side by side: a loop that ran past its array would
// change its neighbour, one that stopped a group early would leave its last values stale.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Optimizer as OptimizerSpec } from '../../ir/types.js';
import { UpdateArena, optimizerSlots } from '../../runtime/engines/onnx/update.js';
import { selectBackend } from '../../runtime/backends/index.js';
import { createOptimizer } from '../../runtime/optim/optimizer.js';
import { Rng } from '../../runtime/program/rng.js';

const specs: OptimizerSpec[] = [
  { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.1 },
  { kind: 'sgd', lr: 0.05, momentum: 0, weightDecay: 0.1 },
  { kind: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 0 },
  { kind: 'rmsprop', lr: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7, weightDecay: 0.01 },
  { kind: 'rmsprop', lr: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-7, weightDecay: 0.01 },
];
// Lengths 1, 3, 5, 6 and 37: none a whole group; the kernels decay, the biases do not.
const shapes: Record<string, number[]> = { 'a.kernel': [37], 'a.bias': [3], 'b.kernel': [5], 'b.bias': [1], 'c.kernel': [2, 3] };
const decayed = new Set(['a.kernel', 'b.kernel', 'c.kernel']);
const STEPS = 4;

/** The weights and gradients of every step, the same for both sides. */
function draws(): { start: Record<string, number[]>; grads: Record<string, number[]>[] } {
  const rng = new Rng(5);
  const values = (shape: number[]) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.fround(rng.next() * 2 - 1));
  const each = () => Object.fromEntries(Object.entries(shapes).map(([id, shape]) => [id, values(shape)]));
  return { start: each(), grads: Array.from({ length: STEPS }, each) };
}

function onTfjs(spec: OptimizerSpec): Record<string, number[]> {
  const { start, grads } = draws();
  const variables = new Map(Object.entries(shapes).map(([id, shape]) => [id, tf.variable(tf.tensor(start[id]!, shape), false)]));
  const optimizer = createOptimizer(spec, decayed);
  for (const step of grads) {
    const g = Object.fromEntries(Object.entries(shapes).map(([id, shape]) => [id, tf.tensor(step[id]!, shape)]));
    optimizer.apply(g, variables);
    Object.values(g).forEach((t) => t.dispose());
  }
  const out = Object.fromEntries([...variables].map(([id, v]) => [id, Array.from(v.dataSync())]));
  optimizer.dispose();
  variables.forEach((v) => v.dispose());
  return out;
}

function onArena(spec: OptimizerSpec): Record<string, number[]> {
  const { start, grads } = draws();
  const slots = optimizerSlots(spec).length;
  const ids = Object.keys(shapes);
  const arena = new UpdateArena(ids.flatMap((id) => Array<number>(2 + slots).fill(start[id]!.length)));
  const parameters = ids.map((id) => {
    const weight = arena.take(start[id]!.length);
    weight.set(start[id]!);
    const gradient = arena.take(weight.length);
    return { id, weight, gradient, slots: Array.from({ length: slots }, () => arena.take(weight.length)), decayed: decayed.has(id) };
  });
  grads.forEach((step, t) => {
    for (const p of parameters) {
      p.gradient.set(step[p.id]!);
      arena.apply(spec, t + 1, spec.lr, p);
    }
  });
  return Object.fromEntries(parameters.map((p) => [p.id, Array.from(p.weight)]));
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe("the onnx engine's optimiser loops", () => {
  for (const spec of specs) {
    it(`${spec.kind}${'momentum' in spec && spec.momentum > 0 ? ' with momentum' : ''}: ${STEPS} steps as the tfjs optimiser on cpu`, () => {
      const expected = onTfjs(spec);
      const actual = onArena(spec);
      for (const id of Object.keys(shapes)) {
        expect(actual[id]!.length).toBe(expected[id]!.length);
        actual[id]!.forEach((v, i) => expect(Math.abs(v - expected[id]![i]!), `${id}[${i}]: ${v} vs ${expected[id]![i]}`).toBeLessThan(2e-6));
      }
      // every value moved: a loop that skipped the last, partial group would leave it as it started
      const { start } = draws();
      for (const id of Object.keys(shapes)) actual[id]!.forEach((v, i) => expect(v, `${id}[${i}]`).not.toBe(start[id]![i]));
    });
  }

  // Slots decaying where the gradient is zero reach the subnormal floats, where x86 multiplies
  // ~50× slower; the loops flush them to zero (and keep NaN and infinity as they are).
  for (const spec of specs.filter((s) => optimizerSlots(s).length > 0)) {
    it(`${spec.kind}${'momentum' in spec && spec.momentum > 0 ? ' with momentum' : ''}: slots below the smallest normal float flushed to zero, NaN kept`, () => {
      const slots = optimizerSlots(spec).length;
      const arena = new UpdateArena(Array<number>(2 + slots).fill(6));
      const weight = arena.take(6);
      weight.set([0.5, -0.25, 0.125, 1, 2, 3]);
      const gradient = arena.take(6);
      const state = Array.from({ length: slots }, () => arena.take(6));
      // a subnormal, one just above the smallest normal (below it after a step of any decay), a
      // normal, zero, NaN, and an infinity
      for (const slot of state) slot.set([1e-39, 1.176e-38, 1e-3, 0, Number.NaN, Number.POSITIVE_INFINITY]);
      for (let step = 1; step <= 3; step++) arena.apply(spec, step + 10, spec.lr, { weight, gradient, slots: state, decayed: false });
      for (const slot of state) {
        expect(slot[0], 'a subnormal slot').toBe(0);
        expect(slot[1], 'decayed below the smallest normal').toBe(0);
        expect(Math.abs(slot[2]!), 'a normal slot decays').toBeGreaterThan(2 ** -126);
        expect(slot[3]).toBe(0);
        expect(slot[4]).toBeNaN();
        expect(Number.isNaN(slot[5]!) || slot[5] === Number.POSITIVE_INFINITY, 'an infinity is not flushed').toBe(true);
      }
      // the weights of the flushed slots moved by nothing a float32 weight can hold
      expect(Array.from(weight.subarray(0, 2))).toEqual([0.5, -0.25]);
      for (const slot of state) expect(Array.from(slot).some((x) => x !== 0 && Math.abs(x) < 2 ** -126), 'no subnormal left').toBe(false);
    });
  }

  it('refuses an array outside its memory', () => {
    const arena = new UpdateArena([4, 4]);
    const weight = arena.take(4);
    const spec = specs[1]!;
    expect(() => arena.apply(spec, 1, 0.1, { weight, gradient: new Float32Array(4), slots: [], decayed: false })).toThrow(/not in their memory/);
  });

  it('refuses to hand out more than it was sized for', () => {
    const arena = new UpdateArena([5, 3]);
    arena.take(5);
    expect(() => arena.take(5)).toThrow(/update arena: 5 floats asked for beyond the 48 bytes/);
    expect(arena.take(3).length).toBe(3);
  });
});
