// Reconstruction terms: mse, l1/l2 activity penalties, binary and categorical cross-entropy.
// With `fromLogits` (a node's value, or its `logits` output when it squashes itself), bce and
// cross_entropy read the logits and use the stable forms.
import * as tf from '@tensorflow/tfjs-core';
import type { IRTerm } from '../../../ir/types.js';
import type { TermContext, TermFn } from '../context.js';
import { reduce } from '../reduce.js';

const EPSILON = 1e-7;

export const mse: TermFn<'mse'> = (term, ctx) => reduce(mseElements(term, ctx), term.options.reduce);

/** The squared error of every element, before reduction (anomaly scores reduce it per sample). */
export function mseElements(term: IRTerm<'mse'>, ctx: TermContext): tf.Tensor {
  const [a, b] = term.args.map((name) => ctx.value(name));
  return tf.squaredDifference(a!, b!);
}

export const l1: TermFn<'l1'> = (term, ctx) => reduce(tf.abs(ctx.value(term.args[0]!)), term.options.reduce);

export const l2: TermFn<'l2'> = (term, ctx) => reduce(tf.square(ctx.value(term.args[0]!)), term.options.reduce);


export const bce: TermFn<'bce'> = (term, ctx) => reduce(bceElements(term, ctx), term.options.reduce);

/** The binary cross-entropy of every element, before reduction. */
export function bceElements(term: IRTerm<'bce'>, ctx: TermContext): tf.Tensor {
  const target = ctx.value(term.args[1]!);
  if (term.options.fromLogits !== undefined) {
    // max(l, 0) - l·t + log(1 + exp(-|l|)): no overflow for any l. The last term as softplus(-|l|),
    // one kernel, accurate where exp(-|l|) is tiny (a confident pixel) on every backend.
    const l = ctx.value(term.options.fromLogits);
    return tf.add(tf.sub(tf.relu(l), tf.mul(l, target)), tf.softplus(tf.neg(tf.abs(l))));
  }
  const p = tf.clipByValue(ctx.value(term.args[0]!), EPSILON, 1 - EPSILON);
  return tf.neg(tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p)))));
}

/** Categorical cross-entropy against integer labels [batch] (class indices). */
export const crossEntropy: TermFn<'cross_entropy'> = (term, ctx) => {
  const labels = ctx.value(term.args[1]!);
  const logProbabilities =
    term.options.fromLogits !== undefined
      ? tf.logSoftmax(ctx.value(term.options.fromLogits))
      : tf.log(tf.clipByValue(ctx.value(term.args[0]!), EPSILON, 1));
  const classes = logProbabilities.shape[logProbabilities.rank - 1]!;
  const oneHot = tf.oneHot(tf.cast(tf.reshape(labels, [-1]), 'int32'), classes, 1, 0, 'float32');
  const perSample = tf.neg(tf.sum(tf.mul(oneHot, tf.reshape(logProbabilities, [-1, classes])), -1));
  return reduce(perSample, term.options.reduce);
};
