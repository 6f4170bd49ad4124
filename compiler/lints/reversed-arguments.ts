// Proves `mse`/`bce` compare the prediction with its target in that order: with a model input
// first and the reconstruction second (Keras writes `loss(y_true, y_pred)`), bce takes the log of
// the data and pushes the output to 0 or 1, so training runs and silently learns garbage.
import type { Call, Expression } from '../../grammar/ast.js';
import type { CheckedModel } from '../check/model.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LintRule } from './rule.js';
import { lossCalls } from './usage.js';

/** Why the order of the prediction and the target matters, for each loss this lint reads. */
const whyOrderMatters = {
  mse: 'mse is symmetric, but the order names the prediction for `fromLogits`, metrics and reports',
  bce: 'bce(p, t) takes log(p): with the data as p the output is pushed to 0 or 1 and the model learns nothing useful',
} as const;

/** The losses read, in the order their warnings come (a constant: this runs for every model). */
const checkedLosses = Object.keys(whyOrderMatters) as (keyof typeof whyOrderMatters)[];

function check(model: CheckedModel): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const fn of checkedLosses) {
    for (const call of lossCalls(model, fn)) {
      const [first, second] = firstTwoPositional(call);
      if (first?.kind !== 'NameRef' || second?.kind !== 'NameRef') continue;
      const input = model.tensors.get(first.name);
      const output = model.tensors.get(second.name);
      if (input?.origin !== 'input' || input.classes !== undefined || output?.origin !== 'output') continue;
      warnings.push(
        diagnostic('AE5009', `\`${fn}(${first.name}, ${second.name})\` has the target first: \`${fn}\` takes the prediction, then the target`, call.range, {
          related: [{ message: `\`${second.name}\` is the model's output`, range: output.declaredAt }],
          notes: [whyOrderMatters[fn]],
          fix: {
            message: `write \`${fn}(${second.name}, ${first.name})\``,
            edits: [
              { range: first.range, newText: second.name },
              { range: second.range, newText: first.name },
            ],
          },
        }),
      );
    }
  }
  return warnings;
}

/** The values of the call's first two positional arguments (undefined where it has fewer). */
function firstTwoPositional(call: Call): [Expression | undefined, Expression | undefined] {
  let first: Expression | undefined;
  for (const argument of call.args) {
    if (argument.name !== undefined) continue;
    if (first !== undefined) return [first, argument.value];
    first = argument.value;
  }
  return [first, undefined];
}

export const reversedArguments: LintRule = { code: 'AE5009', name: 'reversed-arguments', check };
