// `reconstruction(x_hat, x)` on a table: per column, the squared error of a numeric column (its
// standardised value) and the cross-entropy of a categorical one (from the output's logits against
// the one-hot target), summed over the columns of each sample. `columnLosses` gives the per-column
// values (anomaly scores say which columns contributed).
import * as tf from '@tensorflow/tfjs-core';
import type { IRTerm } from '../../../ir/types.js';
import type { TermContext, TermFn } from '../context.js';
import { reduce } from '../reduce.js';

/** Each column's loss per sample, [batch, columns]. */
export function columnLosses(term: IRTerm<'reconstruction'>, ctx: TermContext): tf.Tensor2D {
  const { columns, fromLogits } = term.options;
  // One column is not split (tfjs's gradient of a one-way split throws; see ops/table.ts).
  const split = (t: tf.Tensor): tf.Tensor[] => (columns.length === 1 ? [t] : tf.split(t, columns, -1));
  const logits = split(ctx.value(fromLogits));
  const targets = split(ctx.value(term.args[1]!));
  const losses = columns.map((width, i) =>
    width === 1
      ? tf.squeeze(tf.squaredDifference(logits[i]!, targets[i]!), [1])
      : tf.neg(tf.sum(tf.mul(targets[i]!, tf.logSoftmax(logits[i]!)), -1)),
  );
  return tf.stack(losses, 1) as tf.Tensor2D;
}

export const reconstruction: TermFn<'reconstruction'> = (term, ctx) => {
  const losses = columnLosses(term, ctx);
  // `mean` averages over the columns as well, so it is the sum divided by the column count.
  return reduce(losses, term.options.reduce);
};
