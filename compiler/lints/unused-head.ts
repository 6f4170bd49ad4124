// Proves every head is trained: a head that no loss names gets no gradient, so its output is noise.
import type { CheckedModel } from '../check/model.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LintRule } from './rule.js';
import { usedNames } from './usage.js';

function check(model: CheckedModel): Diagnostic[] {
  // Most models have no head: their loss need not be walked for names.
  if (model.heads.length === 0) return [];
  const used = usedNames(model);
  return model.heads
    .filter((head) => !used.has(head.name))
    .map((head) =>
      diagnostic('AE5005', `the head \`${head.name}\` is not used by any loss`, head.decl.name.range, {
        notes: [
          'a head that no loss names is never trained',
          `name it in a loss, e.g. \`cross_entropy(${head.name}, y)\` in a fine-tuning phase, or remove it`,
        ],
      }),
    );
}

export const unusedHead: LintRule = { code: 'AE5005', name: 'unused-head', check };
