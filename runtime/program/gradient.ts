// Gradient helpers tfjs-core lacks: the straight-through estimator (on the runtime's one
// stop-gradient, kernels/detach.ts), and tidy for plain values.
import * as tf from '@tensorflow/tfjs-core';
import { detach } from '../kernels/detach.js';

/** Forward: `hard`; backward: the gradient of `soft` (hard - soft is treated as a constant). */
export function straightThrough(soft: tf.Tensor, hard: tf.Tensor): tf.Tensor {
  return tf.add(soft, detach(tf.sub(hard, soft)));
}

/** tf.tidy for a function returning plain values: every tensor it creates is disposed at the end. */
export function tidyValue<T>(fn: () => T): T {
  tf.engine().startScope();
  try {
    return fn();
  } finally {
    tf.engine().endScope();
  }
}
