// 1-D convolutions over the steps of a sequence [batch, steps, channels]. conv1d is tfjs's conv1d
// (a conv2d on [batch, 1, steps, channels] inside tfjs, gradients included); deconv1d is
// conv2dTranspose on [batch, steps, 1, channels]. A deconv1d tied to a conv1d reads the same
// [k, a, b] tensor: conv2dTranspose's filter is [k, 1, outChannels, inChannels], which is the
// mirrored conv1d's [k, in, out] kernel with a unit axis.
import * as tf from '@tensorflow/tfjs-core';
import type { Lowering } from '../context.js';
import { applyActivation } from './activation.js';
import { withActivation } from './dense.js';

export const conv1d: Lowering<'conv1d'> = ([input], attrs, ctx) => {
  const x = input as tf.Tensor3D;
  const kernel = ctx.param('kernel').value as tf.Tensor3D;
  const bias = ctx.node.params?.bias ? ctx.param('bias').value : undefined;
  const linear = (): tf.Tensor => {
    const y = tf.conv1d(x, kernel, attrs.stride, attrs.padding);
    return bias ? tf.add(y, bias) : y;
  };
  return withActivation(linear, attrs.activation, ctx, () => applyActivation(linear(), attrs.activation));
};

export const deconv1d: Lowering<'deconv1d'> = ([input], attrs, ctx) => {
  const x = input as tf.Tensor3D;
  const kernel = ctx.param('kernel').value as tf.Tensor3D;
  const bias = ctx.node.params?.bias ? ctx.param('bias').value : undefined;
  const [, steps, channels] = ctx.node.shape as [null, number, number];
  const [batch, length, inChannels] = x.shape;
  const [k, out, into] = kernel.shape;
  const linear = (): tf.Tensor => {
    const image = tf.reshape(x, [batch, length, 1, inChannels]) as tf.Tensor4D;
    const filter = tf.reshape(kernel, [k, 1, out, into]) as tf.Tensor4D;
    const y = tf.conv2dTranspose(image, filter, [batch, steps, 1, channels], [attrs.stride, 1], attrs.padding);
    const flat = tf.reshape(y, [batch, steps, channels]);
    return bias ? tf.add(flat, bias) : flat;
  };
  return withActivation(linear, attrs.activation, ctx, () => applyActivation(linear(), attrs.activation));
};
