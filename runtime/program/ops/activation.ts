// Activation functions, as layers and as `act =` on dense/conv; fused into matMul/conv2d when tfjs can.
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationSpec } from '../../../ir/types.js';
import type { OpFn } from '../context.js';

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

/** The IR's default negative slope (the compiler writes alpha out; a hand-written IR may omit it). */
export function leakyAlpha(spec: ActivationSpec): number {
  return spec.alpha ?? 0.2;
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
      return tf.leakyRelu(x, leakyAlpha(spec));
    case 'elu':
      return tf.elu(x);
    case 'gelu':
      // The exact form x·Φ(x), with Φ through erf (tfjs-core has no gelu op).
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
    case 'softplus':
      return tf.softplus(x);
    case 'softmax':
      return tf.softmax(x);
    default: {
      const unknown: never = spec.fn;
      throw new Error(`unknown activation '${String(unknown)}'`);
    }
  }
}

export const activation: OpFn<ActivationSpec> = ([x], attrs) => applyActivation(x!, attrs);
