// Proves a code wider than its input cannot silently learn the identity: an overcomplete code
// needs a regulariser (l1, kl_sparsity, contractive, kl) or a corruption of the input.
import type { CheckedModel } from '../check/model.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { isLossName, lossTerm } from '../objective/builtins.js';
import { elementCount } from '../shapes/dims.js';
import type { LintContext, LintRule } from './rule.js';
import { appendToLoss, usedLossFunctions } from './usage.js';

function check(model: CheckedModel, context: LintContext): Diagnostic[] {
  const latent = model.latent;
  const input = model.reconstructed;
  // A quantised or one-hot code is a bottleneck whatever its width.
  if (!latent || latent.width === null || !input || latent.kind === 'vq' || latent.kind === 'onehot') return [];
  const inputSize = elementCount(input.shape);
  if (inputSize === null || latent.width <= inputSize) return [];
  if (model.corruptions.length > 0 || [...usedLossFunctions(model, context)].some((fn) => isLossName(fn) && lossTerm(fn).regularisesCode)) return [];
  const penalty = `1e-4 * l1(${latent.name})`;
  return [
    diagnostic(
      'AE5001',
      `the code \`${latent.name}\` has ${latent.width} units for an input of ${inputSize} values, with no regulariser or corruption: it can learn the identity`,
      latent.decl.value.range,
      {
        notes: [
          'an overcomplete code needs a sparsity or contractive penalty, or a corrupted input (a denoising autoencoder)',
          `for example \`loss = ... + ${penalty}\` or \`corrupt ${input.name} with mask(p = 0.3)\``,
        ],
        fix: { message: `add \`${penalty}\` to the loss`, edits: appendToLoss(model, penalty) },
      },
    ),
  ];
}

export const overcompleteCode: LintRule = { code: 'AE5001', name: 'overcomplete-code', check };
