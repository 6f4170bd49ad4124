// Corruptions of denoising autoencoders: noise applied to the model's input in training only. In
// inference (and for the objective's target, which is the clean input) they are the identity.
import * as tf from '@tensorflow/tfjs-core';
import type { Lowering, OpContext } from '../context.js';

function uniform(x: tf.Tensor, ctx: OpContext): tf.Tensor {
  return tf.randomUniform(x.shape, 0, 1, 'float32', ctx.rng.nextSeed());
}

export const corruptGaussian: Lowering<'corrupt_gaussian'> = ([x], attrs, ctx) => {
  if (!ctx.training) return x!;
  return tf.add(x!, tf.randomNormal(x!.shape, 0, attrs.std, 'float32', ctx.rng.nextSeed()));
};

/** Masking noise: each input is zeroed with probability `rate` (no rescaling, as in Vincent et al.). */
export const corruptMask: Lowering<'corrupt_mask'> = ([x], attrs, ctx) => {
  if (!ctx.training) return x!;
  return tf.mul(x!, tf.cast(tf.greaterEqual(uniform(x!, ctx), attrs.rate), 'float32'));
};

/** Salt-and-pepper: with probability rate/2 an input becomes `low`, with rate/2 it becomes `high`. */
export const corruptSaltPepper: Lowering<'corrupt_salt_pepper'> = ([x], attrs, ctx) => {
  if (!ctx.training) return x!;
  const u = uniform(x!, ctx);
  const pepper = tf.less(u, attrs.rate / 2);
  const salt = tf.logicalAnd(tf.greaterEqual(u, attrs.rate / 2), tf.less(u, attrs.rate));
  return tf.where(pepper, tf.fill(x!.shape, attrs.low), tf.where(salt, tf.fill(x!.shape, attrs.high), x!));
};

/** Dropout noise on the input (inverted: kept inputs scaled by 1/(1-rate)). */
export const corruptDropout: Lowering<'corrupt_dropout'> = ([x], attrs, ctx) => {
  if (!ctx.training || attrs.rate <= 0) return x!;
  return tf.dropout(x!, attrs.rate, undefined, ctx.rng.nextSeed());
};

/** Clips a corrupted input back into range; part of the corruption chain, so training only. */
export const clip: Lowering<'clip'> = ([x], attrs, ctx) => {
  if (!ctx.training) return x!;
  return tf.clipByValue(x!, attrs.low, attrs.high);
};
