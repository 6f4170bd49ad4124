// The activations, usable as `act = f`, as a layer of their own, and as the `output` activation.
import { activationNames } from '../../ir/activation.js';
import type { Activation, ActivationSpec } from '../../ir/types.js';

export { activationNames };

export const DEFAULT_LEAKY_ALPHA = 0.2;

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
