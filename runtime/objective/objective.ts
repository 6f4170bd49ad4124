// The objective: a weighted sum of terms, each computed by one function from the table below.
// Returns the total and each term's (unweighted) value under a readable name, so a non-finite loss
// can say which term went wrong.
import * as tf from '@tensorflow/tfjs-core';
import type { IRModel, IRNode, IRTerm, IRTermFn } from '../../ir/types.js';
import type { ParameterStore } from '../program/parameters.js';
import type { TermContext, TermFn } from './context.js';
import { contractive } from './terms/contractive.js';
import { bce, crossEntropy, l1, l2, mse } from './terms/reconstruction.js';
import { kl, klSparsity, vqLoss, weightDecay } from './terms/regularizers.js';
import { reconstruction } from './terms/table.js';
import { usageKl } from './terms/usage.js';

/** Keyed by the term functions of ir/ops.ts: a term without its function here does not compile. */
const terms: { [F in IRTermFn]: TermFn<F> } = {
  mse,
  bce,
  cross_entropy: crossEntropy,
  l1,
  l2,
  kl,
  kl_sparsity: klSparsity,
  contractive,
  vq_loss: vqLoss,
  weight_decay: weightDecay,
  reconstruction,
  usage_kl: usageKl,
};

export interface ObjectiveValue {
  total: tf.Scalar;
  terms: { name: string; weight: number; value: tf.Scalar }[];
}

/** `bce(x_hat, x)`, `kl(z)`, `weight_decay()`: how a term is named in metrics and errors. */
export function termName(term: IRTerm, names: ReadonlyMap<string, string> = new Map()): string {
  return `${term.fn}(${term.args.map((id) => names.get(id) ?? id).join(', ')})`;
}

/** Term names as the user wrote them (`bce(x_hat, x)`, not the node ids), made unique by a `#2`
 *  suffix when a term appears twice: they label metrics and name the term that went non-finite. */
export function termNames(objective: readonly IRTerm[], ir?: IRModel): string[] {
  const names = new Map(Object.entries(ir?.outputs.named ?? {}).map(([name, id]) => [id, name] as const));
  const seen = new Map<string, number>();
  return objective.map((term) => {
    const base = termName(term, names);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

export function computeObjective(
  objective: readonly IRTerm[],
  ir: IRModel,
  parameters: ParameterStore,
  outputs: ReadonlyMap<string, tf.Tensor>,
): ObjectiveValue {
  const ctx = termContext(ir, parameters, outputs);
  const names = termNames(objective, ir);
  const values = objective.map((term, i) => ({ name: names[i]!, weight: term.weight, value: computeTerm(term, ctx) }));
  const weighted = values.map((t) => tf.mul(t.value, t.weight));
  const total = (weighted.length === 0 ? tf.scalar(0) : tf.addN(weighted)) as tf.Scalar;
  return { total, terms: values };
}

function computeTerm<F extends IRTermFn>(term: IRTerm<F>, ctx: TermContext): tf.Scalar {
  const fn: TermFn<F> = terms[term.fn];
  return fn(term, ctx);
}

/** What term functions read: the forward outputs, looked up by node id, input or `as` name. */
export function termContext(ir: IRModel, parameters: ParameterStore, outputs: ReadonlyMap<string, tf.Tensor>): TermContext {
  const nodes = new Map<string, IRNode>(ir.nodes.map((n) => [n.id, n]));
  return {
    ir,
    parameters,
    outputs,
    value: (name) => {
      const value = outputs.get(name) ?? outputs.get(ir.outputs.named[name] ?? '') ?? outputs.get(ir.outputs.heads[name] ?? '');
      if (!value) throw new Error(`objective: '${name}' has no value (not a node, input or name of this model)`);
      return value;
    },
    node: (id) => {
      const node = nodes.get(id) ?? nodes.get(ir.outputs.named[id] ?? '');
      if (!node) throw new Error(`objective: no node '${id}'`);
      return node;
    },
  };
}
