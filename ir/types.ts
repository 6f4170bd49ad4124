// The graph IR: plain JSON that the compiler writes and the runtime reads. It is the only contract
// between them (the runtime never sees the AST), so everything the runtime needs is spelled out here:
// shapes, parameters and how they are shared, which nodes run only in training, the objective as a
// weighted sum of terms, and the training phases. ir/ir.schema.json validates exactly this.
//
// Conventions:
// - Shapes include the batch dimension as `null` first: `[null, 28, 28, 1]`. Images are NHWC.
// - Node ids are unique, readable and stable (`encoder.0.dense`, `latent.z.mean`), in topological order.
// - Parameter ids are `${nodeId}.${role}` (`encoder.0.dense.kernel`); the runtime stores weights under
//   these names in safetensors.
// - Dense kernels are [in, out]; conv2d kernels [kh, kw, in, out]; deconv2d kernels [kh, kw, out, in]
//   (tfjs's conv2dTranspose layout), so a deconvolution tied to a convolution uses the same tensor
//   untransposed, while a dense tied to a dense uses it transposed.

export const IR_VERSION = 1;

export type Dimension = number | null;
export type Shape = Dimension[];

/** Where a node came from, for runtime errors that point back at the `.ae` text (1-based). */
export interface IRSourceLocation {
  file?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Activation =
  | 'linear'
  | 'relu'
  | 'tanh'
  | 'sigmoid'
  | 'leaky_relu'
  | 'elu'
  | 'gelu'
  | 'softplus'
  | 'softmax';

export interface ActivationSpec {
  fn: Activation;
  /** Negative slope of leaky_relu (default 0.2). */
  alpha?: number;
}

export type Initializer =
  | 'glorot_uniform' // tanh, sigmoid, linear, softmax
  | 'he_normal' // relu family
  | 'zeros'
  | 'ones'
  | 'uniform_unit' // VQ codebooks: U(-1/K, 1/K)
  | 'normal';

export type ParameterRole =
  | 'kernel'
  | 'bias'
  | 'gamma'
  | 'beta'
  | 'moving_mean'
  | 'moving_variance'
  | 'codebook';

export interface IRParameter {
  id: string;
  /** The node that uses it. */
  node: string;
  role: ParameterRole;
  /** The shape this node sees (after `transpose` when tied). */
  shape: number[];
  init: Initializer;
  /** false for batch-norm moving statistics: updated by the forward pass, not by gradients. */
  trainable: boolean;
  /** A shared weight: the storage is the parameter `tiedTo`; this entry owns no values. */
  tiedTo?: string;
  /** With tiedTo: the node sees the stored tensor transposed (dense ↔ dense). */
  transpose?: boolean;
}

export interface IRInput {
  name: string;
  kind: 'tensor' | 'label';
  shape: Shape;
  dtype: 'float32' | 'int32';
  /** Declared value range (`in [0, 1]`); data is scaled into it. */
  range?: [number, number];
  /** For labels: the number of classes. */
  classes?: number;
}

/** Where in the model a node sits; greedy pretraining and `freeze` select by stage. */
export type Stage = 'corrupt' | 'encoder' | 'latent' | 'decoder' | 'output' | 'head';

interface NodeBase<Op extends string, Attrs> {
  id: string;
  op: Op;
  /** Ids of input nodes or model inputs, in order. */
  inputs: string[];
  attrs: Attrs;
  shape: Shape;
  stage: Stage;
  /** Parameter ids this node reads, by role. */
  params?: Partial<Record<ParameterRole, string>>;
  /** The `as` name given in the source, if any. */
  name?: string;
  /** Greedy pretraining: the encoder layer this node belongs to (0-based), mirrored nodes included. */
  layer?: number;
  source?: IRSourceLocation;
}

export type Padding = 'same' | 'valid';

export type IRNode =
  // ---- layers
  | NodeBase<'dense', { units: number; activation: ActivationSpec; useBias: boolean }>
  | NodeBase<
      'conv2d',
      { filters: number; kernel: [number, number]; stride: [number, number]; padding: Padding; activation: ActivationSpec }
    >
  | NodeBase<
      'deconv2d',
      { filters: number; kernel: [number, number]; stride: [number, number]; padding: Padding; activation: ActivationSpec }
    >
  /** Records switches (argmax positions) for an unpool that names it in `switchesFrom`. */
  | NodeBase<'maxpool', { pool: [number, number]; stride: [number, number]; padding: Padding }>
  | NodeBase<'unpool', { pool: [number, number]; mode: 'switches' | 'fill'; switchesFrom?: string }>
  | NodeBase<'upsample', { factor: [number, number] }>
  | NodeBase<'flatten', Record<string, never>>
  | NodeBase<'reshape', { target: number[] }>
  | NodeBase<'dropout', { rate: number }>
  | NodeBase<'batchnorm', { momentum: number; epsilon: number }>
  | NodeBase<'layernorm', { epsilon: number }>
  | NodeBase<'activation', ActivationSpec>
  // ---- latents (stochastic or quantising; `inference` says what runs outside training)
  /** inputs [mean, logvar]; training: mean + exp(logvar / 2) * eps; inference: mean. */
  | NodeBase<'gaussian_sample', Record<string, never>>
  /** Nearest codebook vector, straight-through gradient; params.codebook is [codes, dim]. */
  | NodeBase<'vector_quantize', { codes: number; dim: number; commitment: number }>
  /** Bits in {0, 1} from logits (1 where sigmoid(logit) > 0.5, or a Bernoulli sample of it when
   *  stochastic), with the sigmoid's gradient passed straight through. */
  | NodeBase<'binarize', { stochastic: boolean }>
  /** Gumbel-softmax in training, hard one-hot argmax in inference. */
  | NodeBase<'gumbel_onehot', { temperature: number; hard: boolean }>
  // ---- corruptions (training only; identity in inference; the objective's targets stay clean)
  | NodeBase<'corrupt_gaussian', { std: number }>
  | NodeBase<'corrupt_mask', { rate: number }>
  | NodeBase<'corrupt_salt_pepper', { rate: number; low: number; high: number }>
  | NodeBase<'corrupt_dropout', { rate: number }>
  | NodeBase<'clip', { low: number; high: number }>;

export type IROp = IRNode['op'];

export type Reduction = 'mean' | 'sum';

/** One term of the objective: `weight * fn(args...)`. Args are node ids or input names. */
export type IRTerm =
  | TermBase<'mse', { reduce: Reduction }>
  | TermBase<'bce', { reduce: Reduction; fromLogits?: string }>
  | TermBase<'cross_entropy', { reduce: Reduction; fromLogits?: string }>
  | TermBase<'l1', { reduce: Reduction }>
  | TermBase<'l2', { reduce: Reduction }>
  | TermBase<'kl', { reduce: Reduction; mean: string; logvar: string }>
  | TermBase<'kl_sparsity', { reduce: Reduction; rho: number }>
  | TermBase<'contractive', { reduce: Reduction }>
  | TermBase<'vq_loss', { reduce: Reduction; commitment: number }>
  | TermBase<'weight_decay', { reduce: Reduction }>;

interface TermBase<Fn extends string, Options> {
  fn: Fn;
  weight: number;
  args: string[];
  options: Options;
  source?: IRSourceLocation;
}

// `fromLogits`: for bce on a sigmoid output (or cross_entropy on a softmax head), the id of the
// pre-activation node, so the runtime computes the loss from logits, which is numerically stable.

export type DataSource =
  | { kind: 'mnist'; split: 'train' | 'test' }
  | { kind: 'idx'; images: string; labels?: string }
  | { kind: 'csv'; path: string; label?: string }
  | { kind: 'npy'; path: string; labels?: string }
  | { kind: 'synthetic'; samples: number; seed: number; rank?: number; noise?: number };

export type Optimizer =
  | { kind: 'adam'; lr: number; beta1: number; beta2: number; epsilon: number; weightDecay: number }
  | { kind: 'sgd'; lr: number; momentum: number; weightDecay: number }
  | { kind: 'rmsprop'; lr: number; rho: number; momentum: number; epsilon: number; weightDecay: number };

/**
 * How the learning rate changes from epoch to epoch, from the optimizer's `lr` (the starting rate).
 * `warmup` epochs first rise linearly to it (epoch e of the warm-up uses lr·(e+1)/(warmup+1)). Then
 * `cosine` anneals to `min` over the remaining epochs (PyTorch's CosineAnnealingLR), `step`
 * multiplies by `factor` every `every` epochs, and `plateau` multiplies by `factor` (not below `min`)
 * when the monitored loss has not improved by `minDelta` for `patience` epochs.
 */
export type LrSchedule =
  | { kind: 'cosine'; min: number; warmup: number }
  | { kind: 'step'; every: number; factor: number; warmup: number }
  | { kind: 'plateau'; factor: number; patience: number; min: number; minDelta: number; warmup: number };

export interface IRPhase {
  name: string;
  data?: DataSource;
  validate?: DataSource;
  optimizer: Optimizer;
  /** Absent: the optimizer's `lr` throughout. */
  lrSchedule?: LrSchedule;
  epochs: number;
  batch: number;
  seed: number;
  /** Greedy layer-wise pretraining: each encoder layer trained as a shallow AE, then frozen. */
  schedule?: { kind: 'greedy'; epochs: number };
  /** Stages (or `as` names) whose parameters this phase does not update. */
  freeze: string[];
  /** `restoreBest`: the stage ends with the weights of its best epoch (by the monitored loss). */
  earlyStop?: { patience: number; minDelta: number; restoreBest: boolean };
  /** The phase's objective: its own `loss`, or the model's. */
  objective: IRTerm[];
}

export interface IRModel {
  irVersion: typeof IR_VERSION;
  model: string;
  /** The `.ae` file, relative to the working directory it was compiled in. */
  source?: string;
  inputs: IRInput[];
  parameters: IRParameter[];
  nodes: IRNode[];
  outputs: {
    /** The reconstruction node (after the output activation). */
    reconstruction: string;
    /** Its input: the model input the reconstruction is compared with (clean, not corrupted). */
    target: string;
    latent: string;
    /** `as` names, heads and the output name, mapped to node ids, for objectives and tasks. */
    named: Record<string, string>;
    heads: Record<string, string>;
  };
  objective: IRTerm[];
  phases: IRPhase[];
}
