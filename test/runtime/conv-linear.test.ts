// convLinear (stride-1 conv2d in training) against tfjs's own conv2d: the same values and the same
// gradients for x, the kernel and the bias, for 'same' and 'valid' padding, odd and even kernels
// (an even kernel pads 'same' unevenly, which the adjoint must mirror).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Padding } from '../../ir/types.js';
import { convLinear } from '../../runtime/program/ops/conv-linear.js';
import { buildProgram } from '../../runtime/program/program.js';
import { act, singleNode } from './ir-builders.js';
import { randomArray } from './reference.js';
import { useCpu } from './setup.js';

beforeAll(useCpu);

function close(actual: tf.Tensor, expected: tf.Tensor): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  expected.dataSync().forEach((v, i) => expect(a[i]!).toBeCloseTo(v, 4));
}

describe('convLinear', () => {
  const cases: { padding: Padding; k: [number, number] }[] = [
    { padding: 'same', k: [3, 3] },
    { padding: 'valid', k: [3, 3] },
    { padding: 'same', k: [2, 4] },
    { padding: 'valid', k: [2, 1] },
  ];
  for (const { padding, k } of cases) {
    for (const inputGradient of [true, false]) {
      it(`${padding}, kernel ${k.join('×')}, ${inputGradient ? 'with' : 'without'} the input's gradient`, () => {
        const [kh, kw] = k;
        const x = tf.tensor4d(randomArray(2 * 5 * 6 * 3, 1), [2, 5, 6, 3]);
        const kernel = tf.tensor4d(randomArray(kh * kw * 3 * 2, 2), [kh, kw, 3, 2]);
        const bias = tf.tensor1d([0.5, -0.25]);
        const forward = tf.conv2d(x, kernel, 1, padding);
        const weights = tf.tensor(randomArray(forward.size, 3), forward.shape);
        const loss = (y: tf.Tensor) => tf.sum(tf.mul(tf.tanh(y), weights)) as tf.Scalar;
        const ours = (a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
          loss(convLinear({ x: a as tf.Tensor4D, kernel: w as tf.Tensor4D, padding, bias: b, inputGradient }));
        const reference = (a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => loss(tf.add(tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, padding), b));
        close(ours(x, kernel, bias), reference(x, kernel, bias));
        if (inputGradient) {
          const [dx, dw, db] = tf.grads(ours)([x, kernel, bias]);
          const [rx, rw, rb] = tf.grads(reference)([x, kernel, bias]);
          close(dx!, rx!);
          close(dw!, rw!);
          close(db!, rb!);
        } else {
          const [dw, db] = tf.grads((w: tf.Tensor, b: tf.Tensor) => ours(x, w, b))([kernel, bias]);
          const [rw, rb] = tf.grads((w: tf.Tensor, b: tf.Tensor) => reference(x, w, b))([kernel, bias]);
          close(dw!, rw!);
          close(db!, rb!);
        }
      });
    }
  }
});

describe('deconv2d, stride 1 same, runs as a convolution with the flipped kernel', () => {
  for (const training of [false, true]) {
    it(`equals conv2dTranspose, values and kernel gradient (${training ? 'training' : 'inference'})`, () => {
      const kernel = randomArray(3 * 3 * 2 * 4, 5); // [kh, kw, out = 2, in = 4]
      const { ir, values } = singleNode(
        'deconv2d',
        { filters: 2, kernel: [3, 3], stride: [1, 1], padding: 'same', activation: act('linear') },
        [null, 5, 4, 4],
        [null, 5, 4, 2],
        { kernel: { shape: [3, 3, 2, 4], values: kernel } },
      );
      const program = buildProgram(ir, { seed: 1 });
      for (const [id, v] of Object.entries(values)) program.variables.get(id)!.assign(tf.tensor(v.values, v.shape));
      const x = tf.tensor4d(randomArray(2 * 5 * 4 * 4, 6), [2, 5, 4, 4]);
      const weights = tf.tensor(randomArray(2 * 5 * 4 * 2, 7), [2, 5, 4, 2]);
      const variable = program.variables.get('n.kernel')!;
      const ours = tf.variableGrads(
        () => tf.sum(tf.mul(program.forward({ x }, { training }).get('n')!, weights)) as tf.Scalar,
        [variable],
      );
      const k = tf.tensor4d(kernel, [3, 3, 2, 4]);
      const reference = (w: tf.Tensor) => tf.sum(tf.mul(tf.conv2dTranspose(x, w as tf.Tensor4D, [2, 5, 4, 2], 1, 'same'), weights));
      close(ours.value, reference(k));
      close(ours.grads[variable.name]!, tf.grad(reference)(k));
      program.dispose();
    });
  }
});
