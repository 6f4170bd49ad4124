// 2-D convolution (fused with bias and activation) and transposed convolution. A deconvolution tied
// to a convolution reads the same [kh, kw, a, b] tensor: conv2dTranspose's filter layout is
// [kh, kw, outChannels, inChannels], which is exactly the mirrored convolution's kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { Lowering } from '../context.js';
import { applyActivation, leakyAlpha } from './activation.js';
import { convLinear } from './conv-linear.js';
import { withActivation } from './dense.js';

export const conv2d: Lowering<'conv2d'> = ([input], attrs, ctx) => {
  const x = input as tf.Tensor4D;
  const kernel = ctx.param('kernel').value as tf.Tensor4D;
  const bias = ctx.node.params?.bias ? ctx.param('bias').value : undefined;
  if (ctx.training && attrs.stride[0] === 1 && attrs.stride[1] === 1) {
    // Stride 1 trains through convLinear (forward-convolution gradients; see conv-linear.ts),
    // then the activation: under a gradient tape tfjs unfuses every activation but linear anyway.
    const linear = () => convLinear({ x, kernel, padding: attrs.padding, bias, inputGradient: ctx.dependsOnParameters(0) });
    return withActivation(linear, attrs.activation, ctx, () => applyActivation(linear(), attrs.activation));
  }
  const conv = (activation: 'linear' | 'relu' | 'elu' | 'sigmoid' | 'leakyrelu') =>
    tf.fused.conv2d({
      x,
      filter: kernel,
      strides: attrs.stride,
      pad: attrs.padding,
      bias,
      activation,
      leakyreluAlpha: leakyAlpha(attrs.activation),
    });
  return withActivation(() => conv('linear'), attrs.activation, ctx, conv);
};

export const deconv2d: Lowering<'deconv2d'> = ([input], attrs, ctx) => {
  const x = input as tf.Tensor4D;
  const kernel = ctx.param('kernel').value as tf.Tensor4D;
  const bias = ctx.node.params?.bias ? ctx.param('bias').value : undefined;
  const [, height, width, channels] = ctx.node.shape;
  const outputShape: [number, number, number, number] = [x.shape[0], height as number, width as number, channels as number];
  const [kh, kw] = kernel.shape;
  const sameShape = attrs.stride[0] === 1 && attrs.stride[1] === 1 && attrs.padding === 'same' && kh % 2 === 1 && kw % 2 === 1;
  const linear = (): tf.Tensor => {
    if (sameShape) {
      // Stride 1, 'same', odd kernel: the transposed convolution is a convolution with the kernel
      // flipped in space and its channels swapped (symmetric padding). Forward convolutions are
      // XNNPACK on wasm, conv2dTranspose (Conv2DBackpropInput) a plain loop; in training the
      // gradients come from convLinear's forward convolutions too.
      const flipped = tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
      if (ctx.training) return convLinear({ x, kernel: flipped, padding: 'same', bias, inputGradient: ctx.dependsOnParameters(0) });
      return tf.fused.conv2d({ x, filter: flipped, strides: 1, pad: 'same', bias });
    }
    const y = tf.conv2dTranspose(x, kernel, outputShape, attrs.stride, attrs.padding);
    return bias ? tf.add(y, bias) : y;
  };
  return withActivation(linear, attrs.activation, ctx, (act) => {
    const y = linear();
    switch (act) {
      case 'linear':
        return y;
      case 'relu':
        return tf.relu(y);
      case 'elu':
        return tf.elu(y);
      case 'sigmoid':
        return tf.sigmoid(y);
      case 'leakyrelu':
        return tf.leakyRelu(y, leakyAlpha(attrs.activation));
    }
  });
};
