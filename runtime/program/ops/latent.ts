// Stochastic and quantising latents. Each publishes what its objective term needs as side outputs:
// vector_quantize the quantised vectors before the straight-through (`quantized`) and the code
// indices (`codes`). In inference they are deterministic (mean, nearest code, hard bits, argmax).
import * as tf from '@tensorflow/tfjs-core';
import type { Lowering } from '../context.js';
import { straightThrough } from '../gradient.js';
import { prepareCodebook, restartDeadCodes } from './vq-codebook.js';

/** Reparameterised sample mean + exp(logvar / 2) · ε in training; the mean in inference. */
export const gaussianSample: Lowering<'gaussian_sample'> = ([mean, logvar], _attrs, ctx) => {
  if (!ctx.training) return mean!;
  const { seed, distribution } = ctx.draw('normal');
  const eps = tf.randomNormal(mean!.shape, 0, distribution.std, 'float32', seed);
  return tf.add(mean!, tf.mul(tf.exp(tf.mul(logvar!, 0.5)), eps));
};

/**
 * Nearest codebook vector along the last axis; gradients pass straight through to the encoder. In
 * training the codebook is initialised from the first batch and dead codes restarted (vq-codebook.ts).
 */
export const vectorQuantize: Lowering<'vector_quantize'> = ([z], attrs, ctx) => {
  const input = z!;
  const flat = tf.reshape(input, [-1, attrs.dim]) as tf.Tensor2D;
  const stored = ctx.param('codebook').value;
  const assign = (value: tf.Tensor) => ctx.assign('codebook', value);
  if (ctx.upkeep) prepareCodebook(stored, flat, ctx.rng.nextSeed(), ctx.upkeep, assign);
  const codebook = ctx.param('codebook').value as tf.Tensor2D;
  const distances = tf.add(
    tf.sub(tf.sum(tf.square(flat), 1, true), tf.mul(tf.matMul(flat, codebook, false, true), 2)),
    tf.reshape(tf.sum(tf.square(codebook), 1), [1, -1]),
  );
  const codes = tf.argMin(distances, 1);
  // one-hot × codebook rather than gather: the codebook's gradient is a plain matMul on every backend.
  const quantized = tf.reshape(tf.matMul(tf.oneHot(codes, attrs.codes, 1, 0, 'float32'), codebook), input.shape);
  if (ctx.upkeep) restartDeadCodes(stored, flat, codes, ctx.rng.nextSeed(), ctx.upkeep, assign);
  ctx.side('codes', tf.reshape(codes, input.shape.slice(0, -1)));
  ctx.side('quantized', quantized);
  return ctx.training ? straightThrough(input, quantized) : quantized;
};

/**
 * Bits in {0, 1} from logits: in training Bernoulli(sigmoid(x)) when stochastic, else x > 0; the
 * gradient is that of sigmoid(x) (straight-through). In inference always x > 0.
 */
export const binarize: Lowering<'binarize'> = ([x], attrs, ctx) => {
  const logits = x!;
  // tf.step, not tf.greater: comparisons have no gradient function, and these sit on the taped path.
  if (!ctx.training) return tf.step(logits);
  const probability = tf.sigmoid(logits);
  const draw = attrs.stochastic ? ctx.draw('uniform') : undefined;
  const bits = draw ? tf.step(tf.sub(probability, tf.randomUniform(logits.shape, draw.distribution.low, 1, 'float32', draw.seed))) : tf.step(logits);
  return straightThrough(probability, bits);
};

/** Gumbel-softmax over the last axis in training (hard: one-hot forward, soft gradient); argmax one-hot in inference. */
export const gumbelOnehot: Lowering<'gumbel_onehot'> = ([x], attrs, ctx) => {
  const logits = x!;
  const classes = logits.shape[logits.rank - 1]!;
  if (!ctx.training) return tf.oneHot(tf.argMax(logits, -1), classes, 1, 0, 'float32');
  const { seed, distribution } = ctx.draw('uniform');
  const u = tf.randomUniform(logits.shape, distribution.low, 1, 'float32', seed);
  const gumbel = tf.neg(tf.log(tf.neg(tf.log(u))));
  const soft = tf.softmax(tf.div(tf.add(logits, gumbel), attrs.temperature));
  if (!attrs.hard) return soft;
  return straightThrough(soft, tf.oneHot(tf.argMax(soft, -1), classes, 1, 0, 'float32'));
};
