// The proofs a table's loss needs: `reconstruction(x_hat, x)` compares a `table` output with the
// table input it reconstructs (and reads the output's logits for the categorical columns); an
// element-wise loss (`mse`, `bce`) on a table output is refused with a fix that writes
// reconstruction(), since an mse over one-hot bits is no likelihood of a categorical column.
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { message } from '../../diagnostics/message.js';
import type { IRNode } from '../../ir/types.js';
import { opTraits } from '../../ir/op-rules.js';
import type { TensorArgument } from './term-checks.js';
import type { TermContext } from './terms.js';

/** The `table_output` node a tensor is, if it is one. */
function tableOutput(argument: TensorArgument, context: TermContext): IRNode<'table_output'> | undefined {
  const node = context.model.nodes.find((n) => n.id === argument.tensor.nodeId);
  return node && opTraits(node.op).tableOutput ? (node as IRNode<'table_output'>) : undefined;
}

/** `mse`/`bce` must not read a table output. */
export function notOnTable(fn: string, prediction: TensorArgument, target: TensorArgument, callRange: TensorArgument['range'], context: TermContext): boolean {
  if (!tableOutput(prediction, context)) return true;
  const replacement = `reconstruction(${prediction.tensor.name}, ${target.tensor.name})`;
  context.diagnostics.push(
    diagnostic('AE4017', message('AE4017', { fn, name: prediction.tensor.name }), prediction.range, {
      notes: ['a table mixes numeric and categorical columns: `reconstruction` sums an mse per numeric column and a cross-entropy per categorical one'],
      fix: { message: `use \`${replacement}\``, edits: [{ range: callRange, newText: replacement }] },
    }),
  );
  return false;
}

/** `reconstruction(x_hat, x)`: the columns and logits of the table output that reconstructs `x`. */
export function tableReconstruction(prediction: TensorArgument, target: TensorArgument, context: TermContext): { columns: number[]; fromLogits: string } | undefined {
  const output = tableOutput(prediction, context);
  const input = context.model.inputs.find((i) => i.ir.name === target.tensor.nodeId)?.ir;
  if (!output || input?.kind !== 'table' || context.model.reconstructed?.name !== input.name) {
    const problem = !output ? `\`${prediction.tensor.name}\` is not a table output (\`output ${prediction.tensor.name} = table\`)` : `\`${target.tensor.name}\` is not the table input it reconstructs`;
    context.diagnostics.push(
      diagnostic('AE4018', message('AE4018', { problem }), !output ? prediction.range : target.range, {
        notes: ['`reconstruction(x_hat, x)` is the per-column loss of a table: `input x: table(...)`, `output x_hat = table`'],
      }),
    );
    return undefined;
  }
  return { columns: output.attrs.columns, fromLogits: output.inputs[0]! };
}
