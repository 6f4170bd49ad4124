// LSTM and GRU, unrolled over the steps in tfjs-core ops (so every backend runs them and the
// gradient tape differentiates them: backpropagation through time over the whole window).
// The layouts are Keras's: kernel [in, G·u], recurrent_kernel [u, G·u], gates side by side in the
// order i, f, c, o (LSTM) or z, r, h (GRU); the GRU resets after the recurrent product
// (reset_after = true, Keras 2+'s default) with a bias [2, 3u]: input bias, recurrent bias.
// The input projection x·W + b is one matMul over all steps; each step adds h·U.
import * as tf from '@tensorflow/tfjs-core';
import type { Lowering, OpContext } from '../context.js';

/** x·W (+ b) for every step at once, then one [batch, G·u] slice per step. */
function projectSteps(x: tf.Tensor3D, kernel: tf.Tensor2D, bias: tf.Tensor | undefined): tf.Tensor2D[] {
  const [batch, steps, channels] = x.shape;
  let projected: tf.Tensor = tf.matMul(tf.reshape(x, [batch * steps, channels]) as tf.Tensor2D, kernel);
  if (bias) projected = tf.add(projected, bias);
  // One step: a reshape, not unstack, whose gradient tfjs computes only for two outputs or more
  // (with one it hands stack() a tensor where it wants a list).
  if (steps === 1) return [projected as tf.Tensor2D];
  return tf.unstack(tf.reshape(projected, [batch, steps, kernel.shape[1]]), 1) as tf.Tensor2D[];
}

function weights(ctx: OpContext): { kernel: tf.Tensor2D; recurrent: tf.Tensor2D; bias: tf.Tensor } {
  return {
    kernel: ctx.param('kernel').value as tf.Tensor2D,
    recurrent: ctx.param('recurrent_kernel').value as tf.Tensor2D,
    bias: ctx.param('bias').value,
  };
}

/** The last state, or every step's stacked along axis 1. */
function result(states: tf.Tensor2D[], sequences: boolean): tf.Tensor {
  return sequences ? tf.stack(states, 1) : states[states.length - 1]!;
}

export const lstm: Lowering<'lstm'> = ([input], attrs, ctx) => {
  const x = input as tf.Tensor3D;
  const { kernel, recurrent, bias } = weights(ctx);
  const steps = projectSteps(x, kernel, bias);
  let h = tf.zeros([x.shape[0], attrs.units]) as tf.Tensor2D;
  let c = h;
  const states: tf.Tensor2D[] = [];
  for (const xw of steps) {
    const z = tf.add(xw, tf.matMul(h, recurrent));
    const [i, f, g, o] = tf.split(z, 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(g!))) as tf.Tensor2D;
    h = tf.mul(tf.sigmoid(o!), tf.tanh(c)) as tf.Tensor2D;
    states.push(h);
  }
  return result(states, attrs.sequences);
};

export const gru: Lowering<'gru'> = ([input], attrs, ctx) => {
  const x = input as tf.Tensor3D;
  const { kernel, recurrent, bias } = weights(ctx);
  const [inputBias, recurrentBias] = tf.unstack(bias, 0);
  const steps = projectSteps(x, kernel, inputBias);
  let h = tf.zeros([x.shape[0], attrs.units]) as tf.Tensor2D;
  const states: tf.Tensor2D[] = [];
  for (const xw of steps) {
    const [xz, xr, xh] = tf.split(xw, 3, 1);
    const [hz, hr, hh] = tf.split(tf.add(tf.matMul(h, recurrent), recurrentBias!), 3, 1);
    const update = tf.sigmoid(tf.add(xz!, hz!));
    const reset = tf.sigmoid(tf.add(xr!, hr!));
    const candidate = tf.tanh(tf.add(xh!, tf.mul(reset, hh!)));
    // h = z·h_prev + (1 − z)·candidate, as Keras.
    h = tf.add(tf.mul(update, h), tf.mul(tf.sub(1, update), candidate)) as tf.Tensor2D;
    states.push(h);
  }
  return result(states, attrs.sequences);
};
