// A table's reconstruction (`output x_hat = table`): each numeric column's slot as it is (linear),
// each categorical column's slots a softmax over its levels. `columns` gives each column's width.
import * as tf from '@tensorflow/tfjs-core';
import type { Lowering } from '../context.js';

export const tableOutput: Lowering<'table_output'> = ([logits], attrs) => {
  // One column is not split: tfjs's gradient of a one-way split passes its one gradient to concat
  // as a tensor, not a list, and throws (found by the generative fuzzer on `table(amount)`).
  const slices = attrs.columns.length === 1 ? [logits!] : tf.split(logits!, attrs.columns, -1);
  return tf.concat(
    slices.map((slice, i) => (attrs.columns[i] === 1 ? slice : tf.softmax(slice))),
    -1,
  );
};
