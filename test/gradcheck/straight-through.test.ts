import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../runtime/backends/index.js';
import type { OpContext } from '../../runtime/program/context.js';
import { binarize, gumbelOnehot, vectorQuantize } from '../../runtime/program/ops/latent.js';
import { Rng } from '../../runtime/program/rng.js';
import { seededTensor } from '../backends/seeded.js';

/**
 * The straight-through estimators are not the derivative of their forward pass (which is piecewise
 * constant): each is checked against the surrogate it documents, on cpu. The loss is Σ w·latent(x)
 * for seeded w, so its gradient in x is the vector-Jacobian product of the surrogate with w.
 */
beforeAll(async () => {
  await selectBackend('cpu');
});

/** The op context a latent op needs: training mode, a fixed seed, a codebook when there is one. */
function context(codebook?: tf.Tensor): OpContext {
  const rng = new Rng(9);
  return {
    node: { id: 'z' } as OpContext['node'],
    training: true,
    upkeep: undefined,
    rng,
    // the stochastic latents' planned draw: u in [1e-10, 1) (gumbel's; binarize's bits alike)
    draw: ((kind: 'uniform') => ({ seed: rng.nextSeed(), distribution: { kind, low: 1e-10 } })) as OpContext['draw'],
    outputs: new Map(),
    param: () => ({ value: codebook!, transposed: false }),
    side: () => {},
    dependsOnParameters: () => true,
    wants: () => false,
    assign: () => {},
  };
}

const values = (t: tf.Tensor) => Array.from(t.dataSync());

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 6));
}

describe('straight-through estimators follow their documented surrogates', () => {
  it('binary: bits in {0, 1} forward, the gradient of sigmoid(x) backward (deterministic and stochastic)', () => {
    for (const stochastic of [false, true]) {
      tf.tidy(() => {
        const x = seededTensor({ shape: [3, 4] }, 1);
        const w = seededTensor({ shape: [3, 4] }, 2);
        const bits = binarize([x], { stochastic }, context());
        expect(new Set(values(bits))).toEqual(new Set([0, 1]));
        const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(binarize([v], { stochastic }, context()), w)))(x);
        const s = tf.sigmoid(x);
        expectClose(values(grad), values(tf.mul(w, tf.mul(s, tf.sub(1, s)))));
      });
    }
  });

  it('onehot (hard Gumbel-softmax): a one-hot forward, the gradient of the soft sample backward', () => {
    tf.tidy(() => {
      const x = seededTensor({ shape: [3, 5] }, 3);
      const w = seededTensor({ shape: [3, 5] }, 4);
      const attrs = { temperature: 0.5, hard: true };
      const hard = gumbelOnehot([x], attrs, context());
      expect(values(tf.sum(hard, -1))).toEqual([1, 1, 1]);
      expect(values(hard).every((v) => v === 0 || v === 1)).toBe(true);
      // Same seed, same Gumbel noise: the soft sample is what the hard one passes its gradient to.
      const hardGrad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(gumbelOnehot([v], attrs, context()), w)))(x);
      const softGrad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(gumbelOnehot([v], { ...attrs, hard: false }, context()), w)))(x);
      expectClose(values(hardGrad), values(softGrad));
      expect(values(softGrad).some((g) => Math.abs(g) > 1e-3)).toBe(true);
    });
  });

  it('vq: the nearest code forward, the identity backward to z, nothing to the codebook through the output', () => {
    tf.tidy(() => {
      const z = seededTensor({ shape: [4, 3] }, 5);
      const codebook = tf.variable(seededTensor({ shape: [6, 3] }, 6));
      const w = seededTensor({ shape: [4, 3] }, 7);
      const attrs = { codes: 6, dim: 3, commitment: 0.25 };
      const quantized = vectorQuantize([z], attrs, context(codebook));
      const nearest = tf.argMin(tf.sum(tf.squaredDifference(tf.expandDims(z, 1), tf.expandDims(codebook, 0)), 2), 1);
      expectClose(values(quantized), values(tf.gather(codebook, nearest)));
      // `0 · Σ codebook` connects the codebook to the loss (tfjs refuses a gradient of an unconnected
      // variable) without adding to its gradient: whatever else it gets came through the output.
      const { value, grads } = tf.variableGrads(
        () => tf.add(tf.sum(tf.mul(vectorQuantize([z], attrs, context(codebook)), w)), tf.mul(tf.sum(codebook), 0)) as tf.Scalar,
        [codebook],
      );
      expect(grads[codebook.name] == null || values(grads[codebook.name]!).every((g) => g === 0)).toBe(true);
      value.dispose();
      const zGrad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(vectorQuantize([v], attrs, context(codebook)), w)))(z);
      expectClose(values(zGrad), values(w));
      codebook.dispose();
    });
  });
});
