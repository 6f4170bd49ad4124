// Every IR op and every objective term, declared once: its attributes (options) with their types and
// a one-line doc. ir/types.ts derives the node and term types from these declarations, ir/schema.ts
// the JSON schema, and the runtime's lowering table is keyed by the same op names, so an op without
// a lowering is a type error. The compiler's registry (compiler/shapes/) fills these attributes in.
import { activation, bool, int, number, oneOf, optional, pair, required, sizes, string, type Fields } from './attributes.js';

const padding = oneOf('same', 'valid');
const rate = number({ min: 0, exclusiveMax: 1 });
const window = { pool: required(pair), stride: required(pair), padding: required(padding) } as const;
const conv = {
  filters: required(int(1)),
  kernel: required(pair),
  stride: required(pair),
  padding: required(padding),
  activation: required(activation),
} as const;

const conv1d = {
  filters: required(int(1)),
  kernel: required(int(1)),
  stride: required(int(1)),
  padding: required(padding),
  activation: required(activation),
} as const;
const window1d = { pool: required(int(1)), stride: required(int(1)), padding: required(padding) } as const;
const recurrent = { units: required(int(1)), sequences: required(bool) } as const;

interface OpDeclaration {
  doc: string;
  /** The attributes, or 'activation': the node's attrs are an activation spec. */
  attrs: Fields | 'activation';
}

export const irOps = {
  // ---- layers
  dense: { doc: 'x·kernel (+ bias), then the activation.', attrs: { units: required(int(1)), activation: required(activation), useBias: required(bool) } },
  conv2d: { doc: '2-D convolution, kernel [kh, kw, in, out] (+ bias), then the activation.', attrs: conv },
  deconv2d: { doc: 'Transposed 2-D convolution, kernel [kh, kw, out, in] (+ bias), then the activation.', attrs: conv },
  maxpool: { doc: 'Window maximum; records switches for an unpool that names it in switchesFrom.', attrs: window },
  avgpool: { doc: 'Window average.', attrs: window },
  unpool: {
    doc: 'Undoes a maxpool: values back at the recorded switches, or each value filling its window.',
    attrs: { pool: required(pair), mode: required(oneOf('switches', 'fill')), switchesFrom: optional(string, 'the maxpool whose switches this reads (mode switches)') },
  },
  upsample: { doc: 'Nearest-neighbour upsampling by an integer factor.', attrs: { factor: required(pair) } },
  flatten: { doc: 'Keeps the batch, flattens the rest.', attrs: {} },
  reshape: { doc: 'Reshapes to target (without the batch dimension).', attrs: { target: required(sizes) } },
  dropout: { doc: 'Inverted dropout in training; the identity in inference.', attrs: { rate: required(rate) } },
  batchnorm: { doc: 'Batch normalisation over all axes but the last; moving statistics for inference.', attrs: { momentum: required(rate), epsilon: required(number({ exclusiveMin: 0 })) } },
  layernorm: { doc: 'Normalisation over the last axis.', attrs: { epsilon: required(number({ exclusiveMin: 0 })) } },
  activation: { doc: 'An activation on its own.', attrs: 'activation' },
  // ---- sequences ([batch, steps, channels], Keras's NWC; see docs/language.md's sequences section)
  conv1d: { doc: '1-D convolution over the steps, kernel [k, in, out] (+ bias), then the activation.', attrs: conv1d },
  deconv1d: { doc: 'Transposed 1-D convolution, kernel [k, out, in] (+ bias), then the activation.', attrs: conv1d },
  maxpool1d: { doc: 'Window maximum over the steps; records switches for an unpool1d that names it in switchesFrom.', attrs: window1d },
  avgpool1d: { doc: 'Window average over the steps.', attrs: window1d },
  unpool1d: {
    doc: 'Undoes a maxpool1d: values back at the recorded switches, or each value filling its window.',
    attrs: { pool: required(int(1)), mode: required(oneOf('switches', 'fill')), switchesFrom: optional(string, 'the maxpool1d whose switches this reads (mode switches)') },
  },
  upsample1d: { doc: 'Each step repeated factor times.', attrs: { factor: required(int(1)) } },
  lstm: { doc: 'LSTM over the steps (Keras gates i, f, c, o; kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u]); the last state, or every step’s.', attrs: recurrent },
  gru: { doc: 'GRU over the steps (Keras gates z, r, h, reset after; kernel [in, 3u], recurrent_kernel [u, 3u], bias [2, 3u]); the last state, or every step’s.', attrs: recurrent },
  repeat_vector: { doc: 'Repeats a vector [n] over `steps` steps: [steps, n].', attrs: { steps: required(int(1)) } },
  dense_per_step: { doc: 'The same dense layer on every step: [t, c]·kernel [c, units] (+ bias), then the activation.', attrs: { units: required(int(1)), activation: required(activation), useBias: required(bool) } },
  // ---- conditional models (`encoder on x, y`, `decoder on z, y`)
  one_hot: { doc: 'Class indices of a label input → one-hot float vectors of `depth` classes.', attrs: { depth: required(int(1)) } },
  concat: { doc: 'Concatenates its inputs along the last axis (what a conditional encoder or decoder reads).', attrs: {} },
  // ---- tables (`input x: table(...)`, `output x_hat = table`)
  table_output: {
    doc: "A table's reconstruction: per column, the identity on a numeric column's slot and a softmax over a categorical column's levels.",
    attrs: { columns: required(sizes, "each column's width in the encoded row: 1 for a numeric column, its level count (≥ 2) for a categorical one") },
  },
  // ---- latents (stochastic or quantising; deterministic in inference)
  gaussian_sample: { doc: 'inputs [mean, logvar]; training: mean + exp(logvar / 2)·ε; inference: mean.', attrs: {} },
  vector_quantize: { doc: 'Nearest codebook vector ([codes, dim]), straight-through gradient.', attrs: { codes: required(int(2)), dim: required(int(1)), commitment: required(number({ min: 0 })) } },
  binarize: { doc: 'Bits from logits (sigmoid > 0.5, or a Bernoulli sample when stochastic), sigmoid gradient.', attrs: { stochastic: required(bool) } },
  gumbel_onehot: { doc: 'Gumbel-softmax in training, argmax one-hot in inference.', attrs: { temperature: required(number({ exclusiveMin: 0 })), hard: required(bool) } },
  // ---- corruptions (training only; the identity in inference; the objective's targets stay clean)
  corrupt_gaussian: { doc: 'Adds N(0, std²) noise.', attrs: { std: required(number({ min: 0 })) } },
  corrupt_mask: { doc: 'Zeroes each value with probability rate.', attrs: { rate: required(rate) } },
  corrupt_salt_pepper: { doc: 'Sets each value to low or high, each with probability rate/2.', attrs: { rate: required(rate), low: required(number()), high: required(number()) } },
  corrupt_dropout: { doc: 'Inverted dropout on the input.', attrs: { rate: required(rate) } },
  clip: { doc: 'Clips a corrupted input back into [low, high].', attrs: { low: required(number()), high: required(number()) } },
} as const satisfies Record<string, OpDeclaration>;

const reduce = required(oneOf('mean', 'sum'));
const fromLogits = optional(string, 'the pre-activation node: the loss is computed from logits');

export const irTerms = {
  mse: { doc: 'Mean squared error.', options: { reduce } },
  bce: { doc: 'Binary cross-entropy.', options: { reduce, fromLogits } },
  cross_entropy: { doc: 'Categorical cross-entropy against labels.', options: { reduce, fromLogits } },
  l1: { doc: 'Mean absolute value.', options: { reduce } },
  l2: { doc: 'Mean square.', options: { reduce } },
  kl: { doc: 'KL divergence of a diagonal Gaussian from N(0, I).', options: { reduce, mean: required(string), logvar: required(string) } },
  kl_sparsity: { doc: 'KL sparsity of mean activations towards rho.', options: { reduce, rho: required(number({ exclusiveMin: 0, exclusiveMax: 1 })) } },
  contractive: { doc: 'Frobenius norm of the code’s Jacobian with respect to the input.', options: { reduce } },
  vq_loss: { doc: 'VQ codebook and commitment loss.', options: { reduce, commitment: required(number({ min: 0 })) } },
  weight_decay: { doc: 'Sum of squared kernels.', options: { reduce } },
  reconstruction: {
    doc: "A table's per-column loss: squared error on each numeric column, cross-entropy on each categorical one, summed over the columns.",
    options: {
      reduce,
      columns: required(sizes, "each column's width in the encoded row (1 numeric, ≥ 2 categorical levels)"),
      fromLogits: required(string, 'the node before the table output: categorical columns are read as logits'),
    },
  },
  usage_kl: {
    doc: "KL of a onehot latent's batch-mean soft assignment (the softmax of its logits, the gumbel_onehot node's input) from the uniform distribution over its clusters.",
    options: { reduce },
  },
} as const satisfies Record<string, { doc: string; options: Fields }>;

// ---- where training data comes from, and the optimisers (IRPhase's `data` and `optimizer`)
export const irDataSources = {
  mnist: { split: required(oneOf('train', 'test')) },
  idx: { images: required(string), labels: optional(string) },
  csv: {
    path: required(string),
    label: optional(string),
    delimiter: optional(string),
    window: optional(int(1), 'cut the series (rows = steps) into windows of this many steps'),
    stride: optional(int(1), 'steps between the starts of two windows (with window)'),
  },
  npy: { path: required(string), labels: optional(string) },
  synthetic: { samples: required(int(1)), seed: required(int()), rank: optional(int(1)), noise: optional(number({ min: 0 })) },
} as const satisfies Record<string, Fields>;

const lr = required(number({ exclusiveMin: 0 }));
const nonNegative = required(number({ min: 0 }));

export const irOptimizers = {
  adam: { lr, beta1: nonNegative, beta2: nonNegative, epsilon: nonNegative, weightDecay: nonNegative },
  sgd: { lr, momentum: nonNegative, weightDecay: nonNegative },
  rmsprop: { lr, rho: nonNegative, momentum: nonNegative, epsilon: nonNegative, weightDecay: nonNegative },
} as const satisfies Record<string, Fields>;
