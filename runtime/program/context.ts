// What an op function sees besides its inputs: its node, the mode, its parameters, randomness,
// the other nodes' outputs (for switches), and a way to publish side outputs and state updates.
import type * as tf from '@tensorflow/tfjs-core';
import type { NoiseDistribution, NoiseKindName } from '../../ir/noise.js';
import type { IRAttrs, IRCodebookUpkeep, IRNode, IROp, ParameterRole } from '../../ir/types.js';
import type { Rng } from './rng.js';

export interface ParamView {
  /** The stored tensor (for a tied parameter: the storage of the parameter it is tied to). */
  value: tf.Tensor;
  /** The node sees `value` transposed (dense tied to dense): ops fold it into matMul. */
  transposed: boolean;
}

export interface OpContext {
  node: IRNode;
  training: boolean;
  /** The node's codebook upkeep in the training loop's steps (ForwardOptions.codebooks). */
  upkeep: IRCodebookUpkeep | undefined;
  param(role: ParameterRole): ParamView;
  /** Seeds for tfjs random ops, drawn from the program's PRNG so runs repeat exactly. */
  rng: Rng;
  /**
   * The node's draw in training as the stage's plan gives it (ir/noise.ts): its distribution, and
   * its seed, drawn from `rng` before the pass in the plan's order. Throws when the plan gives the
   * node no draw of `kind`.
   */
  draw<K extends NoiseKindName>(kind: K): { seed: number; distribution: Extract<NoiseDistribution, { kind: K }> };
  /** Outputs computed so far, including named outputs by reference (ir/outputs.ts). */
  outputs: ReadonlyMap<string, tf.Tensor>;
  /** Publishes the named output `name` its op declares in ir/ops.ts (switches, codes, logits...). */
  side(name: string, value: tf.Tensor): void;
  /**
   * Whether input `index` depends on a parameter, i.e. needs a gradient (false for the model's
   * input, corruptions of it, and values given from outside the forward pass).
   */
  dependsOnParameters(index: number): boolean;
  /** Whether a node or term reads this node's named output `name` (switches cost work: skip unread ones). */
  wants(name: string): boolean;
  /** Non-trainable state written by the forward pass (batch-norm moving statistics). */
  assign(role: ParameterRole, value: tf.Tensor): void;
}

/** How one op runs: its inputs' values and its attributes (typed by ir/ops.ts) to its output. */
export type Lowering<Op extends IROp> = (inputs: tf.Tensor[], attrs: IRAttrs[Op], ctx: OpContext) => tf.Tensor;

/** One lowering per IR op: an op without one is a type error here. */
export type LoweringTable = { [Op in IROp]: Lowering<Op> };
