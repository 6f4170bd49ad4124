// Activation functions, as layers and as `act =` on dense/conv; fused into matMul/conv2d when tfjs can.
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationSpec } from '../../../ir/types.js';
import type { Lowering } from '../context.js';

type FusedActivation = 'linear' | 'relu' | 'elu' | 'sigmoid' | 'leakyrelu';

/** The tfjs fused activation for a spec, or undefined when it must run as a separate op. */
export function fusedActivation(spec: ActivationSpec): FusedActivation | undefined {
  switch (spec.fn) {
    case 'linear':
    case 'relu':
    case 'elu':
    case 'sigmoid':
      return spec.fn;
    case 'leaky_relu':
      return 'leakyrelu';
    default:
      return undefined;
  }
}

/** The slope tfjs's fused leakyrelu takes (ignored by the other fused activations). */
export function leakyAlpha(spec: ActivationSpec): number | undefined {
  return spec.fn === 'leaky_relu' ? spec.alpha : undefined;
}

export function applyActivation(x: tf.Tensor, spec: ActivationSpec): tf.Tensor {
  switch (spec.fn) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'leaky_relu':
      return tf.leakyRelu(x, spec.alpha);
    case 'elu':
      return tf.elu(x);
    case 'gelu':
      // The exact form x·Φ(x), with Φ through erf (tfjs-core has no gelu op).
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
    case 'softplus':
      return tf.softplus(x);
    case 'softmax':
      return tf.softmax(x);
  }
}

export const activation: Lowering<'activation'> = ([x], attrs) => applyActivation(x!, attrs);
