// The terms that have a value per element of each sample before their reduction (a reconstruction's
// error), which anomaly scores and per-step scores reduce per sample: one entry per term, keyed by
// the term's function (undefined: a term with no such elements), so a new term must say.
import type * as tf from '@tensorflow/tfjs-core';
import type { IRTerm, IRTermFn } from '../../ir/types.js';
import type { TermContext } from './context.js';
import { bceElements, mseElements } from './terms/reconstruction.js';
import { columnLosses } from './terms/table.js';

type Elements<F extends IRTermFn> = (term: IRTerm<F>, ctx: TermContext) => tf.Tensor;

export const termElements: { [F in IRTermFn]: Elements<F> | undefined } = {
  mse: mseElements,
  bce: bceElements,
  // a table's term is per column already: its columns' losses are the sample's elements
  reconstruction: columnLosses,
  cross_entropy: undefined,
  l1: undefined,
  l2: undefined,
  kl: undefined,
  kl_sparsity: undefined,
  contractive: undefined,
  vq_loss: undefined,
  weight_decay: undefined,
  // a batch's cluster usage, not a sample's
  usage_kl: undefined,
};

/** Whether `term` has elements (see termElements). */
export function hasElements(term: IRTerm): boolean {
  return termElements[term.fn] !== undefined;
}

/** The term's value per element, before its reduction; an error for a term without. */
export function elementsOf<F extends IRTermFn>(term: IRTerm<F>, ctx: TermContext): tf.Tensor {
  const elements = termElements[term.fn] as Elements<F> | undefined;
  if (!elements) throw new Error(`the ${term.fn} term has no value per element`);
  return elements(term, ctx);
}
