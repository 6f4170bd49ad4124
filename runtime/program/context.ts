// What an op function sees besides its inputs: its node, the mode, its parameters, randomness,
// the other nodes' outputs (for switches), and a way to publish side outputs and state updates.
import type * as tf from '@tensorflow/tfjs-core';
import type { IRAttrs, IRNode, IROp, ParameterRole } from '../../ir/types.js';
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
  param(role: ParameterRole): ParamView;
  /** Seeds for tfjs random ops, drawn from the program's PRNG so runs repeat exactly. */
  rng: Rng;
  /** Outputs computed so far, including side outputs `${nodeId}:${name}`. */
  outputs: ReadonlyMap<string, tf.Tensor>;
  /** Publishes a side output as `${node.id}:${name}` (switches, quantised codes, logits...). */
  side(name: string, value: tf.Tensor): void;
  /**
   * Whether input `index` depends on a parameter, i.e. needs a gradient (false for the model's
   * input, corruptions of it, and values given from outside the forward pass).
   */
  dependsOnParameters(index: number): boolean;
  /** Whether another node reads this node's side output `name` (switches cost work: skip unread ones). */
  wants(name: string): boolean;
  /** Non-trainable state written by the forward pass (batch-norm moving statistics). */
  assign(role: ParameterRole, value: tf.Tensor): void;
}

/** How one op runs: its inputs' values and its attributes (typed by ir/ops.ts) to its output. */
export type Lowering<Op extends IROp> = (inputs: tf.Tensor[], attrs: IRAttrs[Op], ctx: OpContext) => tf.Tensor;

/** One lowering per IR op: an op without one is a type error here. */
export type LoweringTable = { [Op in IROp]: Lowering<Op> };

export function sideKey(nodeId: string, name: string): string {
  return `${nodeId}:${name}`;
}
