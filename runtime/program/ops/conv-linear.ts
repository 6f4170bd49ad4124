// conv2d (stride 1) + bias for training, with a backward pass made of forward convolutions.
//
// Why: tfjs-backend-wasm 4.22 runs Conv2DBackpropInput as a plain loop and Conv2DBackpropFilter has
// no wasm kernel (runtime/kernels adds one in JS), while its forward Conv2D is XNNPACK: on the Keras
// convolutional AE the 13 backward convolutions took 0.71 s of a 0.85 s step, the 7 forward ones
// 0.03 s. Both gradients are forward convolutions (measured 4–20× faster on wasm):
//   dx = conv(dy, W flipped in space with in/out swapped), padded by (k − 1 − the forward padding)
//   dW = conv(xpad with batch and channels swapped, dy as the filter), transposed back
// and db = Σ dy over batch and space. The input's gradient is skipped when the input does not
// depend on any parameter, as tfjs prunes it for its own ops.
import * as tf from '@tensorflow/tfjs-core';
import type { Padding } from '../../../ir/types.js';
import { linearWithGradient } from './linear-gradient.js';

export interface ConvLinearArgs {
  x: tf.Tensor4D;
  /** [kh, kw, in, out] */
  kernel: tf.Tensor4D;
  padding: Padding;
  bias?: tf.Tensor | undefined;
  /** Whether x depends on parameters (its gradient is needed). */
  inputGradient: boolean;
}

type Pads = [[number, number], [number, number], [number, number], [number, number]];

export function convLinear({ x, kernel, padding, bias, inputGradient }: ConvLinearArgs): tf.Tensor4D {
  const [kh, kw] = kernel.shape;
  const { top, bottom, left, right } = tf.backend_util.computeConv2DInfo(x.shape, kernel.shape, 1, 1, padding).padInfo;
  const forwardPads: Pads = [[0, 0], [top, bottom], [left, right], [0, 0]];
  const adjointPads: Pads = [[0, 0], [kh - 1 - top, kh - 1 - bottom], [kw - 1 - left, kw - 1 - right], [0, 0]];
  const padded = top + bottom + left + right > 0;

  return linearWithGradient<tf.Tensor4D>({
    x,
    kernel,
    bias,
    inputGradient,
    forward: (a, w, b) => tf.fused.conv2d({ x: a, filter: w, strides: 1, pad: padding, bias: b }),
    inputGrad: (dy, _input, filter) => {
      const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
      return tf.conv2d(dy, flipped, 1, adjointPads);
    },
    kernelGrad: (dy, input) => {
      const source = padded ? tf.pad(input, forwardPads) : input;
      const channelsFirst = tf.transpose(source, [3, 1, 2, 0]) as tf.Tensor4D; // [in, H, W, batch]
      const dyAsFilter = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [h, w, batch, out]
      return tf.transpose(tf.conv2d(channelsFirst, dyAsFilter, 1, 'valid'), [1, 2, 0, 3]); // [kh, kw, in, out]
    },
    biasAxes: [0, 1, 2],
  });
}
