// The two reductions every term takes. `mean`: the mean over all elements (batch and features).
// `sum`: summed over each sample's elements, then averaged over the batch, so a loss does not grow
// with the batch size (the VAE convention: bce(..., reduce = sum) + kl(z) per sample).
import * as tf from '@tensorflow/tfjs-core';
import type { Reduction } from '../../ir/types.js';

export function reduce(elementwise: tf.Tensor, mode: Reduction): tf.Scalar {
  if (mode === 'mean') return tf.mean(elementwise);
  const batch = elementwise.rank === 0 ? 1 : elementwise.shape[0]!;
  return tf.div(tf.sum(elementwise), batch);
}
