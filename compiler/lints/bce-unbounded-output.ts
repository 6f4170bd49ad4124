// Proves `bce` compares probabilities: its prediction must lie in [0, 1] (a sigmoid or softmax
// output, or another bounded tensor). On a linear/relu output log(p) is undefined and training NaNs.
import type { CheckedModel } from '../check/model.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LintRule } from './rule.js';
import { lossCalls } from './usage.js';

function check(model: CheckedModel): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const call of lossCalls(model, 'bce')) {
    const argument = call.args.find((a) => a.name === undefined)?.value;
    const tensor = argument?.kind === 'NameRef' ? model.tensors.get(argument.name) : undefined;
    if (!argument || !tensor) continue;
    const fn = tensor.activation?.fn;
    const range = tensor.valueRange;
    if (fn === 'sigmoid' || fn === 'softmax' || (range && range[0] >= 0 && range[1] <= 1)) continue;
    const output = model.output && model.output.name === tensor.name ? model.output : undefined;
    warnings.push(
      diagnostic('AE5003', `\`bce\` on \`${tensor.name}\`, whose values are not bounded to [0, 1] (activation: ${fn ?? 'unknown'})`, argument.range, {
        notes: ['binary cross-entropy takes log(p) and log(1 - p): a prediction outside (0, 1) gives NaN'],
        ...(output
          ? { fix: { message: `make the output a sigmoid: \`output ${output.name} = sigmoid\``, edits: [{ range: output.decl.activation.range, newText: 'sigmoid' }] } }
          : {}),
        related: [{ message: `\`${tensor.name}\` is declared here`, range: tensor.declaredAt }],
      }),
    );
  }
  return warnings;
}

export const bceUnboundedOutput: LintRule = { code: 'AE5003', name: 'bce-unbounded-output', check };
