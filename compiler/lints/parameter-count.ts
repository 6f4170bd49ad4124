// Proves the model fits: more than 500M parameters is 2 GB of float32 weights alone, before
// gradients and optimizer state (Adam keeps two more copies), beyond what a tfjs process holds.
import type { CheckedModel } from '../check/model.js';
import { formatBytes } from '../check/count.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LintRule } from './rule.js';
import { thousands } from '../../diagnostics/numbers.js';

export const MAX_PARAMETERS = 500_000_000;

function check(model: CheckedModel): Diagnostic[] {
  const total = model.parameterCount.total;
  if (total <= MAX_PARAMETERS) return [];
  const largest = [...model.parameters].filter((p) => !p.tiedTo).sort((a, b) => size(b.shape) - size(a.shape))[0];
  return [
    diagnostic(
      'AE5007',
      `\`${model.name}\` has ${thousands(total)} parameters (${formatBytes(total * 4)} as float32): too large to fit`,
      model.decl.name.range,
      {
        notes: [
          'training needs about 4x that for gradients and Adam\'s two moments',
          ...(largest ? [`the largest is \`${largest.id}\` with ${thousands(size(largest.shape))} values [${largest.shape.join(', ')}]`] : []),
        ],
      },
    ),
  ];
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export const parameterCount: LintRule = { code: 'AE5007', name: 'parameter-count', check };
