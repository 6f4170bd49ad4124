// Proves a very narrow code (2 units or fewer) is not behind a relu: a dead unit pins every point
// to an axis, and with two units the whole 2-D map collapses onto lines.
import type { CheckedModel } from '../check/model.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LintRule } from './rule.js';

const NARROW = 2;

function check(model: CheckedModel): Diagnostic[] {
  const latent = model.latent;
  if (!latent || latent.activation?.fn !== 'relu' || latent.width === null || latent.width > NARROW) return [];
  const act = latent.decl.value.args.find((a) => a.name?.name === 'act');
  const range = act?.value.range ?? latent.decl.value.range;
  return [
    diagnostic('AE5004', `\`relu\` on the ${latent.width}-wide code \`${latent.name}\`: dead units pin points to the axes`, range, {
      notes: ['a relu outputs 0 for every negative input; in a code this narrow a dead unit loses a whole dimension'],
      ...(act ? { fix: { message: 'use a linear code', edits: [{ range: act.value.range, newText: 'linear' }] } } : {}),
    }),
  ];
}

export const reluNarrowCode: LintRule = { code: 'AE5004', name: 'relu-narrow-code', check };
