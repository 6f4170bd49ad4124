// Every IR op and every objective term, declared once: its attributes (options) with their types and
// a one-line doc. ir/types.ts derives the node and term types from these declarations, ir/schema.ts
// the JSON schema, and the runtime's lowering table is keyed by the same op names, so an op without
// a lowering is a type error. The compiler's registry (compiler/shapes/) fills these attributes in.
import { activation, bool, int, number, oneOf, optional, pair, required, sizes, string, tensor, type Fields } from './attributes.js';

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

/**
 * An input of an op, in order. `reads`: the input must be that named output of an earlier node
 * (`<node id>:<output>`, ir/outputs.ts), not a plain value. `optional` inputs come last; a
 * `variadic` input takes one or more values.
 */
export interface InputDeclaration {
  name: string;
  doc?: string;
  reads?: string;
  optional?: boolean;
  variadic?: boolean;
}

/**
 * A named output besides the node's value, which other nodes and terms read as `<node id>:<name>`.
 * `shape`: that of the node's (first) input, of its value, or of its input without the last axis.
 * `when`: the output exists only for some attributes: `squashes` (the activation is sigmoid or
 * softmax: the logits before it), `disjoint-windows` (stride = pool: the switches of an unpool).
 */
export interface OutputDeclaration {
  doc: string;
  shape: 'input' | 'value' | 'input-without-last';
  dtype?: 'int32';
  when?: 'squashes' | 'disjoint-windows';
}

/**
 * What general code (the checker, the plan, the tasks, the engines' drivers) may ask of an op, so
 * that none of it names ops (test/architecture/op-switches.test.ts). Absent: false.
 */
export interface OpTraits {
  /** Its output has its (first) input's shape (ir/graph.ts checks it). */
  sameShape?: boolean;
  /** Draws noise in training, from the runtime's seeded PRNG. */
  stochastic?: boolean;
  /** Runs only in training; the identity in inference (corruptions, dropout). */
  trainingOnly?: boolean;
  /** A corruption of the model input: `noise`, or the `clip` back into the input's range (which a
   *  greedy layer above the first leaves out: its code has no such range). */
  corruption?: 'noise' | 'clip';
  /** The code this latent op makes: what the tasks can do with it (sample, codes, Hamming...). */
  latent?: 'gaussian' | 'vq' | 'binary' | 'one-hot';
  /** No useful gradient reaches its input (argmax, sign); `when-hard`: only with attrs.hard. */
  blocksGradient?: true | 'when-hard';
  /** Its values' bounds: [0, 1] (`unit`), or its attrs' [low, high] (`attrs`). */
  range?: 'unit' | 'attrs';
  /** Its Jacobian with respect to its input, for the contractive penalty's closed form
   *  (ir/contractive-path.ts): `identity` up to a reshape, `dense` (kernel, then its activation),
   *  `activation` (elementwise). */
  jacobian?: 'identity' | 'dense' | 'activation';
  /** A parameter role that only this term's gradient trains (a vq codebook: vq_loss; the quantiser
   *  passes every other gradient straight through to its input). */
  trainedOnlyBy?: { role: 'codebook'; term: 'vq_loss' };
  /** The output of a table model (per column: identity or softmax). */
  tableOutput?: boolean;
}

interface OpDeclaration {
  doc: string;
  traits?: OpTraits;
  /** The attributes, or 'activation': the node's attrs are an activation spec. */
  attrs: Fields | 'activation';
  /** Absent: one input, `x`. */
  inputs?: readonly InputDeclaration[];
  /** The named outputs (the value, read by the node's id, is not listed). */
  outputs?: Readonly<Record<string, OutputDeclaration>>;
}

const logits = { logits: { doc: 'the pre-activation, which bce/cross_entropy read as logits (sigmoid and softmax only)', shape: 'value', when: 'squashes' } } as const;
const switches = { switches: { doc: "a 0/1 mask over the input at each window's first maximum, which an unpool reads (stride = pool only)", shape: 'input', when: 'disjoint-windows' } } as const;
const unpoolInputs = [{ name: 'x' }, { name: 'switches', reads: 'switches', optional: true, doc: 'the switches of the maxpool this undoes (mode switches)' }] as const;

export const irOps = {
  // ---- layers
  dense: { traits: { jacobian: 'dense' }, doc: 'x·kernel (+ bias), then the activation.', attrs: { units: required(int(1)), activation: required(activation), useBias: required(bool) }, outputs: logits },
  conv2d: { doc: '2-D convolution, kernel [kh, kw, in, out] (+ bias), then the activation.', attrs: conv, outputs: logits },
  deconv2d: { doc: 'Transposed 2-D convolution, kernel [kh, kw, out, in] (+ bias), then the activation.', attrs: conv, outputs: logits },
  maxpool: { doc: 'Window maximum; with stride = pool also its switches, which an unpool reads.', attrs: window, outputs: switches },
  avgpool: { doc: 'Window average.', attrs: window },
  unpool: {
    doc: 'Undoes a maxpool: values back at the recorded switches, or each value filling its window.',
    attrs: { pool: required(pair), mode: required(oneOf('switches', 'fill')) },
    inputs: unpoolInputs,
  },
  upsample: { doc: 'Nearest-neighbour upsampling by an integer factor.', attrs: { factor: required(pair) } },
  flatten: { traits: { jacobian: 'identity' }, doc: 'Keeps the batch, flattens the rest.', attrs: {} },
  reshape: { traits: { jacobian: 'identity' }, doc: 'Reshapes to target (without the batch dimension).', attrs: { target: required(sizes) } },
  dropout: { traits: { sameShape: true, stochastic: true, trainingOnly: true }, doc: 'Inverted dropout in training; the identity in inference.', attrs: { rate: required(rate) } },
  batchnorm: { traits: { sameShape: true }, doc: 'Batch normalisation over all axes but the last; moving statistics for inference.', attrs: { momentum: required(rate), epsilon: required(number({ exclusiveMin: 0 })) } },
  layernorm: { traits: { sameShape: true }, doc: 'Normalisation over the last axis.', attrs: { epsilon: required(number({ exclusiveMin: 0 })) } },
  activation: { traits: { sameShape: true, jacobian: 'activation' }, doc: 'An activation on its own.', attrs: 'activation' },
  // ---- sequences ([batch, steps, channels], Keras's NWC; see docs/language.md's sequences section)
  conv1d: { doc: '1-D convolution over the steps, kernel [k, in, out] (+ bias), then the activation.', attrs: conv1d, outputs: logits },
  deconv1d: { doc: 'Transposed 1-D convolution, kernel [k, out, in] (+ bias), then the activation.', attrs: conv1d, outputs: logits },
  maxpool1d: { doc: 'Window maximum over the steps; with stride = pool also its switches, which an unpool1d reads.', attrs: window1d, outputs: switches },
  avgpool1d: { doc: 'Window average over the steps.', attrs: window1d },
  unpool1d: {
    doc: 'Undoes a maxpool1d: values back at the recorded switches, or each value filling its window.',
    attrs: { pool: required(int(1)), mode: required(oneOf('switches', 'fill')) },
    inputs: unpoolInputs,
  },
  upsample1d: { doc: 'Each step repeated factor times.', attrs: { factor: required(int(1)) } },
  lstm: { doc: 'LSTM over the steps (Keras gates i, f, c, o; kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u]); the last state, or every step’s.', attrs: recurrent },
  gru: { doc: 'GRU over the steps (Keras gates z, r, h, reset after; kernel [in, 3u], recurrent_kernel [u, 3u], bias [2, 3u]); the last state, or every step’s.', attrs: recurrent },
  repeat_vector: { doc: 'Repeats a vector [n] over `steps` steps: [steps, n].', attrs: { steps: required(int(1)) } },
  dense_per_step: {
    doc: 'The same dense layer on every step: [t, c]·kernel [c, units] (+ bias), then the activation.',
    attrs: { units: required(int(1)), activation: required(activation), useBias: required(bool) },
    outputs: logits,
  },
  // ---- conditional models (`encoder on x, y`, `decoder on z, y`)
  one_hot: { doc: 'Class indices of a label input → one-hot float vectors of `depth` classes.', attrs: { depth: required(int(1)) } },
  concat: { doc: 'Concatenates its inputs along the last axis (what a conditional encoder or decoder reads).', attrs: {}, inputs: [{ name: 'values', variadic: true }] },
  // ---- tables (`input x: table(...)`, `output x_hat = table`)
  table_output: { traits: { tableOutput: true },
    doc: "A table's reconstruction: per column, the identity on a numeric column's slot and a softmax over a categorical column's levels.",
    attrs: { columns: required(sizes, "each column's width in the encoded row: 1 for a numeric column, its level count (≥ 2) for a categorical one") },
  },
  // ---- latents (stochastic or quantising; deterministic in inference)
  gaussian_sample: { traits: { sameShape: true, stochastic: true, latent: 'gaussian' }, doc: 'inputs [mean, logvar]; training: mean + exp(logvar / 2)·ε; inference: mean.', attrs: {}, inputs: [{ name: 'mean' }, { name: 'logvar' }] },
  vector_quantize: { traits: { sameShape: true, latent: 'vq', blocksGradient: true, trainedOnlyBy: { role: 'codebook', term: 'vq_loss' } },
    doc: 'Nearest codebook vector ([codes, dim]), straight-through gradient.',
    attrs: { codes: required(int(2)), dim: required(int(1)), commitment: required(number({ min: 0 })) },
    outputs: {
      codes: { doc: 'the index of the nearest codebook vector at each position', shape: 'input-without-last', dtype: 'int32' },
      quantized: { doc: 'the nearest codebook vectors, without the straight-through (what vq_loss compares with its input)', shape: 'input' },
    },
  },
  binarize: { traits: { sameShape: true, stochastic: true, latent: 'binary', blocksGradient: true, range: 'unit' }, doc: 'Bits from logits (sigmoid > 0.5, or a Bernoulli sample when stochastic), sigmoid gradient.', attrs: { stochastic: required(bool) } },
  gumbel_onehot: { traits: { stochastic: true, latent: 'one-hot', blocksGradient: 'when-hard', range: 'unit' }, doc: 'Gumbel-softmax in training, argmax one-hot in inference.', attrs: { temperature: required(number({ exclusiveMin: 0 })), hard: required(bool) } },
  // ---- corruptions (training only; the identity in inference; the objective's targets stay clean)
  corrupt_gaussian: { traits: { sameShape: true, stochastic: true, trainingOnly: true, corruption: 'noise', jacobian: 'identity' }, doc: 'Adds N(0, std²) noise.', attrs: { std: required(number({ min: 0 })) } },
  corrupt_mask: { traits: { sameShape: true, stochastic: true, trainingOnly: true, corruption: 'noise', jacobian: 'identity' }, doc: 'Zeroes each value with probability rate.', attrs: { rate: required(rate) } },
  corrupt_salt_pepper: { traits: { sameShape: true, stochastic: true, trainingOnly: true, corruption: 'noise', jacobian: 'identity' }, doc: 'Sets each value to low or high, each with probability rate/2.', attrs: { rate: required(rate), low: required(number()), high: required(number()) } },
  corrupt_dropout: { traits: { sameShape: true, stochastic: true, trainingOnly: true, corruption: 'noise', jacobian: 'identity' }, doc: 'Inverted dropout on the input.', attrs: { rate: required(rate) } },
  clip: { traits: { sameShape: true, trainingOnly: true, corruption: 'clip', range: 'attrs', jacobian: 'identity' }, doc: 'Clips a corrupted input back into [low, high].', attrs: { low: required(number()), high: required(number()) } },
} as const satisfies Record<string, OpDeclaration>;

const reduce = required(oneOf('mean', 'sum'));
const fromLogits = optional(tensor, 'the logits (a node, or its `logits` output): the loss is computed from them');

/** What general code may ask of a term (as OpTraits for ops). Absent: false. */
export interface TermTraits {
  /** Compares a prediction with its target element by element (the reconstruction likelihood). */
  elementwise?: boolean;
  /** A head's loss against class labels (accuracy is reported for it). */
  classification?: boolean;
  /** Its gradient reaches every parameter (weight decay). */
  reachesAllParameters?: boolean;
  /** It reads every node on the contractive path from its code to its input (ir/contractive-path.ts). */
  readsContractivePath?: boolean;
  /** A table's loss, one value per column of each row. */
  perColumn?: boolean;
}

export const irTerms = {
  mse: { traits: { elementwise: true }, doc: 'Mean squared error.', options: { reduce } },
  bce: { traits: { elementwise: true }, doc: 'Binary cross-entropy.', options: { reduce, fromLogits } },
  cross_entropy: { traits: { classification: true }, doc: 'Categorical cross-entropy against labels.', options: { reduce, fromLogits } },
  l1: { doc: 'Mean absolute value.', options: { reduce } },
  l2: { doc: 'Mean square.', options: { reduce } },
  kl: { doc: 'KL divergence of a diagonal Gaussian from N(0, I).', options: { reduce, mean: required(tensor), logvar: required(tensor) } },
  kl_sparsity: { doc: 'KL sparsity of mean activations towards rho.', options: { reduce, rho: required(number({ exclusiveMin: 0, exclusiveMax: 1 })) } },
  contractive: { traits: { readsContractivePath: true }, doc: 'Frobenius norm of the code’s Jacobian with respect to the input.', options: { reduce } },
  vq_loss: { doc: "VQ codebook and commitment loss; args [the quantiser's input, its `quantized` output].", options: { reduce, commitment: required(number({ min: 0 })) } },
  weight_decay: { traits: { reachesAllParameters: true }, doc: 'Sum of squared kernels.', options: { reduce } },
  reconstruction: {
    traits: { perColumn: true },
    doc: "A table's per-column loss: squared error on each numeric column, cross-entropy on each categorical one, summed over the columns.",
    options: {
      reduce,
      columns: required(sizes, "each column's width in the encoded row (1 numeric, ≥ 2 categorical levels)"),
      fromLogits: required(tensor, 'the node before the table output: categorical columns are read as logits'),
    },
  },
  usage_kl: {
    doc: "KL of a onehot latent's batch-mean soft assignment (the softmax of its logits, the gumbel_onehot node's input) from the uniform distribution over its clusters.",
    options: { reduce },
  },
} as const satisfies Record<string, { doc: string; options: Fields; traits?: TermTraits }>;

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
