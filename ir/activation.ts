// The activations an IR node may apply. leaky_relu always carries its slope: the compiler writes
// the language's default out, so the runtime never supplies one of its own.

export const activationNames = [
  'relu',
  'tanh',
  'sigmoid',
  'leaky_relu',
  'elu',
  'gelu',
  'softplus',
  'softmax',
  'linear',
] as const;

export type Activation = (typeof activationNames)[number];

export type ActivationSpec =
  | { fn: Exclude<Activation, 'leaky_relu'> }
  /** alpha: the negative slope. */
  | { fn: 'leaky_relu'; alpha: number };
