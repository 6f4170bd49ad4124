// denseLinear (dense layers in training) against tfjs's own matMul: the same values and the same
// gradients for x, the kernel and the bias, plain and tied (transposed), with and without x's.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { denseLinear } from '../../runtime/program/ops/matmul.js';
import { randomArray } from './reference.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

function close(actual: tf.Tensor, expected: tf.Tensor): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  expected.dataSync().forEach((v, i) => expect(a[i]!).toBeCloseTo(v, 4));
}

describe('denseLinear', () => {
  for (const transposed of [false, true]) {
    for (const inputGradient of [false, true]) {
      it(`${transposed ? 'tied (transposed)' : 'plain'} kernel, ${inputGradient ? 'with' : 'without'} the input's gradient`, () => {
        const x = tf.tensor2d(randomArray(4 * 3, 1), [4, 3]);
        const kernel = tf.tensor2d(randomArray(6, 2), transposed ? [2, 3] : [3, 2]);
        const bias = tf.tensor1d([0.5, -0.25]);
        const weights = tf.tensor2d(randomArray(8, 3), [4, 2]);
        const loss = (y: tf.Tensor) => tf.sum(tf.mul(tf.sigmoid(y), weights)) as tf.Scalar;
        const ours = (a: tf.Tensor, k: tf.Tensor, b: tf.Tensor) =>
          loss(denseLinear({ x: a as tf.Tensor2D, kernel: k as tf.Tensor2D, transposed, bias: b, inputGradient }));
        const reference = (a: tf.Tensor, k: tf.Tensor, b: tf.Tensor) => loss(tf.add(tf.matMul(a, k, false, transposed), b));
        close(ours(x, kernel, bias), reference(x, kernel, bias));
        if (inputGradient) {
          const [dx, dk, db] = tf.grads(ours)([x, kernel, bias]);
          const [rx, rk, rb] = tf.grads(reference)([x, kernel, bias]);
          close(dx!, rx!);
          close(dk!, rk!);
          close(db!, rb!);
        } else {
          // x is a constant here: the gradients flow to the kernel and bias only.
          const [dk, db] = tf.grads((k: tf.Tensor, b: tf.Tensor) => ours(x, k, b))([kernel, bias]);
          const [rk, rb] = tf.grads((k: tf.Tensor, b: tf.Tensor) => reference(x, k, b))([kernel, bias]);
          close(dk!, rk!);
          close(db!, rb!);
        }
      });
    }
  }
});
