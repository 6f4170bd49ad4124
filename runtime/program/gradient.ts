// Gradient helpers tfjs-core lacks: stopGradient, and the straight-through estimator built on it.
import * as tf from '@tensorflow/tfjs-core';

/** The same values, with no gradient flowing back (tf.stop_gradient). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const block = tf.customGrad(((input: tf.Tensor) => ({
    value: tf.clone(input),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  })) as Parameters<typeof tf.customGrad>[0]);
  return block(x) as T;
}

/** Forward: `hard`; backward: the gradient of `soft` (hard - soft is treated as a constant). */
export function straightThrough(soft: tf.Tensor, hard: tf.Tensor): tf.Tensor {
  return tf.add(soft, stopGradient(tf.sub(hard, soft)));
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
