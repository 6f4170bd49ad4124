// Corruptions of denoising autoencoders: noise applied to the model's input in training only. In
// inference (and for the objective's target, which is the clean input) they are the identity. The
// noise's parameters (std, rate) and seed are the stage plan's draw (ctx.draw, ir/noise.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { Lowering } from '../context.js';

export const corruptGaussian: Lowering<'corrupt_gaussian'> = ([x], _attrs, ctx) => {
  if (!ctx.training) return x!;
  const { seed, distribution } = ctx.draw('normal');
  return tf.add(x!, tf.randomNormal(x!.shape, 0, distribution.std, 'float32', seed));
};

/** Masking noise: each input is zeroed with probability `rate` (no rescaling, as in Vincent et al.). */
export const corruptMask: Lowering<'corrupt_mask'> = ([x], _attrs, ctx) => {
  if (!ctx.training) return x!;
  const { seed, distribution } = ctx.draw('mask');
  return tf.mul(x!, tf.cast(tf.greaterEqual(tf.randomUniform(x!.shape, 0, 1, 'float32', seed), distribution.rate), 'float32'));
};

/** Salt-and-pepper: with probability rate/2 an input becomes `low`, with rate/2 it becomes `high`. */
export const corruptSaltPepper: Lowering<'corrupt_salt_pepper'> = ([x], attrs, ctx) => {
  if (!ctx.training) return x!;
  const { seed, distribution } = ctx.draw('salt_pepper');
  const u = tf.randomUniform(x!.shape, 0, 1, 'float32', seed);
  const pepper = tf.less(u, distribution.rate / 2);
  const salt = tf.logicalAnd(tf.greaterEqual(u, distribution.rate / 2), tf.less(u, distribution.rate));
  return tf.where(pepper, tf.fill(x!.shape, attrs.low), tf.where(salt, tf.fill(x!.shape, attrs.high), x!));
};

/** Dropout noise on the input (inverted: kept inputs scaled by 1/(1-rate)). */
export const corruptDropout: Lowering<'corrupt_dropout'> = ([x], attrs, ctx) => {
  if (!ctx.training || attrs.rate <= 0) return x!;
  const { seed, distribution } = ctx.draw('dropout');
  return tf.dropout(x!, distribution.rate, undefined, seed);
};

/** Clips a corrupted input back into range; part of the corruption chain, so training only. */
export const clip: Lowering<'clip'> = ([x], attrs, ctx) => {
  if (!ctx.training) return x!;
  return tf.clipByValue(x!, attrs.low, attrs.high);
};
