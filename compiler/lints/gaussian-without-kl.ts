// Proves a variational latent is regularised: a `gaussian` latent without a `kl` term in any
// objective is an autoencoder with noise, and its codes drift far from N(0, I), so sampling fails.
import type { CheckedModel } from '../check/model.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LintContext, LintRule } from './rule.js';
import { appendToLoss, usedLossFunctions } from './usage.js';

function check(model: CheckedModel, context: LintContext): Diagnostic[] {
  const latent = model.latent;
  if (!latent || latent.kind !== 'gaussian') return [];
  if (usedLossFunctions(model, context).has('kl')) return [];
  const term = `kl(${latent.name})`;
  return [
    diagnostic('AE5002', `the gaussian latent \`${latent.name}\` has no \`kl\` term in any loss`, latent.decl.value.range, {
      notes: ['without kl the codes are not pulled towards N(0, I): sampling from the prior decodes to noise'],
      fix: { message: `add \`${term}\` to the loss`, edits: appendToLoss(model, term) },
    }),
  ];
}

export const gaussianWithoutKl: LintRule = { code: 'AE5002', name: 'gaussian-without-kl', check };
