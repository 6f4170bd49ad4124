// Proves every `as` name means something: a layer name that no loss, head or freeze list uses is
// likely a misspelling of the name the author meant to use somewhere else.
import type { CheckedModel } from '../check/model.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LintRule } from './rule.js';
import { usedNames } from './usage.js';

function check(model: CheckedModel): Diagnostic[] {
  // Most models name no layer: their loss need not be walked for names.
  if (model.layerNames.length === 0) return [];
  const used = usedNames(model);
  return model.layerNames
    .filter((layer) => !used.has(layer.name))
    .map((layer) =>
      diagnostic('AE5006', `the layer name \`${layer.name}\` is not used by any loss, head or freeze list`, layer.range, {
        notes: [`use it (e.g. \`+ 1e-4 * l1(${layer.name})\`) or drop the \`as ${layer.name}\``],
      }),
    );
}

export const unusedLayerName: LintRule = { code: 'AE5006', name: 'unused-layer-name', check };
