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

import type { ActivationSpec } from './activation.js';
import type { AttrsOf, Fields, Simplify } from './attributes.js';
import type { IRNoise } from './noise.js';
import type { irDataSources, irOps, irOptimizers, irTerms } from './ops.js';

export const IR_VERSION = 2;

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

export type { Activation, ActivationSpec } from './activation.js';

export const initializers = [
  'glorot_uniform', // tanh, sigmoid, linear, softmax
  'he_normal', // relu family
  'zeros',
  'ones',
  'uniform_unit', // VQ codebooks: U(-1/K, 1/K)
  'normal',
] as const;

export type Initializer = (typeof initializers)[number];

export const parameterRoles = ['kernel', 'bias', 'gamma', 'beta', 'moving_mean', 'moving_variance', 'codebook', 'recurrent_kernel'] as const;

export type ParameterRole = (typeof parameterRoles)[number];

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

/** A column of a table input: numeric (standardised) or categorical with `levels` levels (one-hot). */
export interface IRTableColumn {
  name: string;
  levels?: number;
}

export interface IRInput {
  name: string;
  /** `table`: a row of named columns, fed as one float vector (numeric columns standardised with the
   *  training data's statistics, categorical ones one-hot over their levels, in column order). */
  kind: 'tensor' | 'label' | 'table';
  shape: Shape;
  dtype: 'float32' | 'int32';
  /** Declared value range (`in [0, 1]`); data is scaled into it. */
  range?: [number, number];
  /** For labels: the number of classes. */
  classes?: number;
  /** For tables: the columns, in order (the shape's width is the numeric count plus every level count). */
  columns?: IRTableColumn[];
}

/** Where in the model a node sits (the node's `stage`); greedy pretraining and `freeze` select by it. */
export const modelParts = ['corrupt', 'encoder', 'latent', 'decoder', 'output', 'head'] as const;

export type ModelPart = (typeof modelParts)[number];

interface NodeBase<Op extends string, Attrs> {
  id: string;
  op: Op;
  /** Ids of input nodes or model inputs, in order, as ir/ops.ts declares the op's inputs; a named output of a node is `<node id>:<output>` (ir/outputs.ts). */
  inputs: string[];
  attrs: Attrs;
  shape: Shape;
  stage: ModelPart;
  /** Parameter ids this node reads, by role. */
  params?: Partial<Record<ParameterRole, string>>;
  /** The `as` name given in the source, if any. */
  name?: string;
  /** Greedy pretraining: the encoder layer this node belongs to (0-based), mirrored nodes included. */
  layer?: number;
  source?: IRSourceLocation;
}

export type Padding = 'same' | 'valid';

/** The attributes of each op, as ir/ops.ts declares them. */
export type IRAttrs = { [Op in keyof typeof irOps]: (typeof irOps)[Op]['attrs'] extends Fields ? AttrsOf<(typeof irOps)[Op]['attrs']> : ActivationSpec };

export type IROp = keyof IRAttrs;

/** An op with its attributes, kept together (the compiler builds nodes from these). */
export type IROpAttrs<Op extends IROp = IROp> = { [K in Op]: { op: K; attrs: IRAttrs[K] } }[Op];

/** A node of op `Op` (every op when not narrowed). */
export type IRNode<Op extends IROp = IROp> = { [K in Op]: NodeBase<K, IRAttrs[K]> }[Op];

export type Reduction = 'mean' | 'sum';

/** The options of each objective term, as ir/ops.ts declares them. */
export type IRTermOptions = { [Fn in keyof typeof irTerms]: AttrsOf<(typeof irTerms)[Fn]['options']> };

export type IRTermFn = keyof IRTermOptions;

/** A term's function with its options, kept together (the compiler's loss registry builds these). */
export type IRTermCall<Fn extends IRTermFn = IRTermFn> = { [K in Fn]: { fn: K; options: IRTermOptions[K] } }[Fn];

/** One term of the objective: `weight * fn(args...)`. Args are node ids or input names. */
export type IRTerm<Fn extends IRTermFn = IRTermFn> = { [K in Fn]: TermBase<K, IRTermOptions[K]> }[Fn];

interface TermBase<Fn extends string, Options> {
  fn: Fn;
  /** The coefficient; with a `schedule`, the value the schedule reaches (ramp's `to`, cyclic's
   *  peak), which tasks that do not train (eval, score, exports) use. */
  weight: number;
  /** A coefficient that changes per epoch (`ramp(0, 1, epochs = 10) * kl(z)`); absent: `weight` throughout. */
  schedule?: IRSchedule;
  args: string[];
  options: Options;
  source?: IRSourceLocation;
}

/**
 * A loss coefficient that changes from epoch to epoch of its stage (epoch e counted from 0), from
 * `ramp(...)` or `cyclic(...)` in the loss (ir/schedule.ts computes it). `ramp`: from + (to −
 * from)·min(e / epochs, 1), so epoch 0 uses `from` and epoch `epochs` onwards `to` (KL warm-up).
 * `cyclic` (cyclical annealing, Fu et al. 2019): every `period` epochs the same ramp from `from` to
 * `to` over the first `ramp` fraction of the period, then `to` for the rest of it.
 */
export type IRSchedule = { kind: 'ramp'; from: number; to: number; epochs: number } | { kind: 'cyclic'; from: number; to: number; period: number; ramp: number };

export type DataSource = { [K in keyof typeof irDataSources]: Simplify<{ kind: K } & AttrsOf<(typeof irDataSources)[K]>> }[keyof typeof irDataSources];

export type Optimizer = { [K in keyof typeof irOptimizers]: Simplify<{ kind: K } & AttrsOf<(typeof irOptimizers)[K]>> }[keyof typeof irOptimizers];

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

/**
 * One stage of the training plan the compiler writes (ir/plan.ts): a phase, or one layer of a
 * phase's greedy schedule. The runtime trains the stages in order and plans nothing itself.
 */
export interface IRStage {
  /** `pretrain`, or `pretrain/layer1` for a greedy layer. */
  name: string;
  /** Index into `phases`: its data, optimiser, epochs, batch, seed. */
  phase: number;
  /** The stage's loss with its coefficients (a greedy layer above the first: mse of its code). */
  objective: IRTerm[];
  /** Storage parameter ids the stage updates; every other parameter stays as it is. */
  trainable: string[];
  /** A greedy layer: the shallow autoencoder it trains, and what feeds it. */
  greedy?: {
    layer: number;
    /** Nodes computing the layer's input code, run in inference mode (frozen and clean), beyond
     *  those of the layer below's prefix (layer l runs both; the prefix grows by layer l − 1). */
    prefix: string[];
    /** The layer's nodes and their mirrors, in IR order. */
    nodes: string[];
    /** The input code's id (null for layer 0, which reads the model input). */
    code: string | null;
    /** The corruption nodes the layer's input goes through in training, in chain order. */
    corruption: string[];
    /** Reads served by another id: the mirror's first node reads this layer's code, and above
     *  layer 0 the corruption chain reads the code and the layer reads the chain's end. */
    rename: Record<string, string>;
  };
  /** The noise the stage's forward pass draws in training (ir/noise.ts), in the order the runtime
   *  draws the seeds. Absent in an IR written before it was written: derived (ir/plan.ts). */
  noise?: IRNoise[];
  /** The optimiser update the stage applies. Absent as `noise` is: derived from the phase. */
  update?: IRStageUpdate;
  /** The upkeep of each vq codebook the stage trains through (ir/codebook-upkeep.ts), in node
   *  order. Absent as `noise` is: derived. */
  codebooks?: IRCodebookUpkeep[];
}

/** One vq codebook's upkeep in a stage (ir/codebook-upkeep.ts). */
export interface IRCodebookUpkeep {
  /** The vector_quantize node. */
  node: string;
  /** An untrained codebook is seeded by k-means++ over at most this many encoder outputs of the
   *  stage's first batch. */
  seedVectors: number;
  /** Every this many steps, the codes no vector chose move onto vectors of the batch. */
  restartEvery: number;
}

/**
 * A stage's optimiser update (ir/stage-update.ts): the rule with its hyperparameters, the
 * parameters decoupled weight decay (w ← w − lr·wd·w) applies to, and the learning rate's schedule
 * from epoch to epoch. The language has no gradient clipping, so the update has none.
 */
export interface IRStageUpdate {
  optimizer: Optimizer;
  /** Storage ids weight decay applies to (when the stage trains them). */
  decayed: string[];
  /** Absent: the optimizer's `lr` throughout. */
  lrSchedule?: LrSchedule;
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
  /** The training plan, written by the compiler; absent in an IR built by hand, where
   *  `stagesOf` (ir/plan.ts) derives it. */
  plan?: IRStage[];
}
