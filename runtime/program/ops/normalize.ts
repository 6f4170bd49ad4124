// Dropout, batch norm and layer norm. Batch norm uses the batch's moments in training and writes the
// moving statistics (non-trainable parameters) through ctx.assign; in inference it reads them.
import * as tf from '@tensorflow/tfjs-core';
import type { Lowering } from '../context.js';

export const dropout: Lowering<'dropout'> = ([x], attrs, ctx) => {
  if (!ctx.training || attrs.rate <= 0) return x!;
  // the rate and seed of the stage plan's draw (ir/noise.ts)
  const { seed, distribution } = ctx.draw('dropout');
  return tf.dropout(x!, distribution.rate, undefined, seed);
};

export const batchnorm: Lowering<'batchnorm'> = ([x], attrs, ctx) => {
  const input = x!;
  const axes = [...Array(input.rank - 1).keys()];
  const gamma = ctx.param('gamma').value;
  const beta = ctx.param('beta').value;
  if (ctx.training) {
    const { mean, variance } = tf.moments(input, axes);
    const movingMean = ctx.param('moving_mean').value;
    const movingVariance = ctx.param('moving_variance').value;
    const m = attrs.momentum;
    ctx.assign('moving_mean', tf.add(tf.mul(movingMean, m), tf.mul(mean, 1 - m)));
    ctx.assign('moving_variance', tf.add(tf.mul(movingVariance, m), tf.mul(variance, 1 - m)));
    return tf.batchNorm(input, mean, variance, beta, gamma, attrs.epsilon);
  }
  return tf.batchNorm(
    input,
    ctx.param('moving_mean').value,
    ctx.param('moving_variance').value,
    beta,
    gamma,
    attrs.epsilon,
  );
};

export const layernorm: Lowering<'layernorm'> = ([x], attrs, ctx) => {
  const input = x!;
  const { mean, variance } = tf.moments(input, -1, true);
  const normalized = tf.div(tf.sub(input, mean), tf.sqrt(tf.add(variance, attrs.epsilon)));
  const gamma = ctx.node.params?.gamma ? ctx.param('gamma').value : undefined;
  const beta = ctx.node.params?.beta ? ctx.param('beta').value : undefined;
  const scaled = gamma ? tf.mul(normalized, gamma) : normalized;
  return beta ? tf.add(scaled, beta) : scaled;
};
