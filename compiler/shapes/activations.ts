// The activations, usable as `act = f`, as a layer of their own, and as the `output` activation.
import { activationNames } from '../../ir/activation.js';
import type { Activation, ActivationSpec, Initializer } from '../../ir/types.js';

export { activationNames };

export const DEFAULT_LEAKY_ALPHA = 0.2;

/** Each activation's one-line doc (the layer of its own reads it; so do hover and completion). */
export const activationDocs: Readonly<Record<Activation, string>> = Object.freeze({
  relu: 'max(0, x).',
  tanh: 'Hyperbolic tangent, values in (-1, 1).',
  sigmoid: 'Logistic function, values in (0, 1).',
  leaky_relu: 'x for x > 0, alpha * x otherwise.',
  elu: 'x for x > 0, exp(x) - 1 otherwise.',
  gelu: 'Gaussian error linear unit.',
  softplus: 'log(1 + exp(x)).',
  softmax: 'Normalised exponentials over the last dimension (class probabilities).',
  linear: 'The identity: no activation.',
});

/** The spec of an activation written without arguments: leaky_relu takes the language's default slope. */
export function activationSpec(fn: Activation): ActivationSpec {
  return fn === 'leaky_relu' ? { fn, alpha: DEFAULT_LEAKY_ALPHA } : { fn };
}

export function isActivation(name: string): name is Activation {
  return (activationNames as readonly string[]).includes(name);
}

export const LINEAR: ActivationSpec = Object.freeze({ fn: 'linear' });

/** Bounds of an activation's values, when it has both (for the bce-target check and lints). */
export function activationRange(spec: ActivationSpec | undefined): [number, number] | undefined {
  switch (spec?.fn) {
    case 'sigmoid':
    case 'softmax':
      return [0, 1];
    case 'tanh':
      return [-1, 1];
    default:
      return undefined;
  }
}

/** Keras's choice: He initialisation for the relu family, Glorot otherwise. */
export function kernelInitializerFor(spec: ActivationSpec | undefined): 'he_normal' | 'glorot_uniform' {
  return spec && (spec.fn === 'relu' || spec.fn === 'leaky_relu' || spec.fn === 'elu' || spec.fn === 'gelu')
    ? 'he_normal'
    : 'glorot_uniform';
}

/** A weighted layer's initialisers: its kernel's, for its activation, and zeros for its bias when it
 *  has one (assigned, not spread into the literal: this runs for every weighted layer of every model). */
export function weightInitializers(activation: ActivationSpec | undefined, bias: unknown): { kernel: Initializer; bias?: 'zeros' } {
  const inits: { kernel: Initializer; bias?: 'zeros' } = { kernel: kernelInitializerFor(activation) };
  if (bias) inits.bias = 'zeros';
  return inits;
}
