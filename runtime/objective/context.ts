// What a term function sees: the forward outputs, the IR (for nodes and parameters), the program's
// parameters (weight decay, contractive), and a resolver from argument names to tensors.
import type * as tf from '@tensorflow/tfjs-core';
import type { IRModel, IRNode, IRTerm, IRTermFn } from '../../ir/types.js';
import type { ParameterStore } from '../program/parameters.js';

export interface TermContext {
  ir: IRModel;
  parameters: ParameterStore;
  outputs: ReadonlyMap<string, tf.Tensor>;
  /** A node id, an input name or an `as`/output name → its tensor. */
  value(name: string): tf.Tensor;
  node(id: string): IRNode;
}

/** Computes the (unweighted) value of one term of function `F`. */
export type TermFn<F extends IRTermFn = IRTermFn> = (term: IRTerm<F>, ctx: TermContext) => tf.Scalar;
