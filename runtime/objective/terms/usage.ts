// usage_kl(z): the remedy for a onehot (Gumbel-softmax) latent that collapses to one cluster. With
// q = softmax(logits) each sample's soft assignment and p̄ its mean over the batch, the term is
// KL(p̄ ‖ uniform) = Σ_k p̄_k log(k·p̄_k) = log k − H(p̄): 0 when the batch uses every cluster alike,
// log k when it uses one. Minimising it maximises the entropy of the clusters' usage, not of each
// sample's assignment (which stays free to be confident). The logits are the gumbel_onehot node's
// input, read without the Gumbel noise, so the term is the same in training and in evaluation.
import * as tf from '@tensorflow/tfjs-core';
import type { TermFn } from '../context.js';

/** Where p̄ is clipped before its log: a cluster no sample uses adds 0, as p log p → 0. */
const FLOOR = 1e-12;

export const usageKl: TermFn<'usage_kl'> = (term, ctx) => {
  const id = term.args[0]!;
  const node = ctx.node(id);
  if (node.op !== 'gumbel_onehot') throw new Error(`usage_kl(${id}): '${id}' is a ${node.op}, not a onehot latent`);
  const logits = ctx.value(node.inputs[0]!);
  const k = logits.shape[logits.shape.length - 1]!;
  const mean = tf.mean(tf.softmax(tf.reshape(logits, [-1, k])), 0);
  const perCluster = tf.mul(mean, tf.log(tf.mul(tf.clipByValue(mean, FLOOR, 1), k)));
  return term.options.reduce === 'sum' ? tf.sum(perCluster) : tf.mean(perCluster);
};
