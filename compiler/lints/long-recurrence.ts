// Proves a recurrent layer reads few enough steps to train: the runtime unrolls an lstm or gru over
// every step and keeps each step's tensors until the backward pass, so more than
// MAX_RECURRENT_STEPS steps is slow, and 100,000 ran Node's heap out (a typed-fuzzer model with
// `input x: [100000, 1]`); `ae train` refuses a step that cannot fit (runtime/train/unrolled-memory.ts).
import type { CheckedModel } from '../check/model.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { longRecurrence } from '../shapes/sequences.js';
import type { LintRule } from './rule.js';

function check(model: CheckedModel): Diagnostic[] {
  if (!model.recurrences || model.recurrences.length === 0) return [];
  const found: Diagnostic[] = [];
  // A mirror's recurrent layer is located at its encoder twin: one warning for the pair.
  const seen = new Set<string>();
  for (const layer of model.recurrences ?? []) {
    const long = longRecurrence(layer.op, layer.input);
    const key = `${layer.file}:${layer.range.start.offset}`;
    if (!long || seen.has(key)) continue;
    seen.add(key);
    const warning = diagnostic('AE5011', long.message, layer.range, { notes: long.notes });
    if (layer.file !== model.file) warning.file = layer.file;
    found.push(warning);
  }
  return found;
}

export const longRecurrenceRule: LintRule = { code: 'AE5011', name: 'long-recurrence', check };
