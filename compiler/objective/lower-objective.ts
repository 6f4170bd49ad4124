// `loss = expr` → the IR objective: a list of weighted terms, one per loss call.
import type { Expression } from '../../grammar/ast.js';
import type { CheckedModel } from '../check/model.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { IRTerm } from '../../ir/types.js';
import { linearize, type WeightedCall } from './linear.js';
import { lowerTermCall, type TermContext } from './terms.js';
import { message } from '../../diagnostics/message.js';

export function lowerObjective(model: CheckedModel, loss: Expression): { terms: IRTerm[]; diagnostics: Diagnostic[] } {
  const context: TermContext = { model, diagnostics: [] };
  const form = linearize(loss, context);
  if (!form) return { terms: [], diagnostics: context.diagnostics };
  if (form.calls.length === 0 && form.schedule) {
    context.diagnostics.push(
      diagnostic('AE4004', message('AE4004', { reason: 'a schedule on its own has no term to weigh' }), loss.range, {
        notes: ['a schedule multiplies a term: `ramp(0, 1, epochs = 10) * kl(z)`'],
      }),
    );
    return { terms: [], diagnostics: context.diagnostics };
  }
  if (form.calls.length === 0) {
    context.diagnostics.push(
      diagnostic('AE4004', message('AE4004', { reason: 'it has no terms, only a constant' }), loss.range, {
        notes: ['a loss is a weighted sum of terms, e.g. `mse(x_hat, x) + 0.1 * l1(z)`'],
      }),
    );
    return { terms: [], diagnostics: context.diagnostics };
  }
  context.diagnostics.push(...subtractedTerms(form.calls));
  const terms: IRTerm[] = [];
  for (const call of form.calls) {
    const term = lowerTermCall(call.fn, call.args, call.range, context, call.weight, call.schedule);
    if (term) terms.push(term);
  }
  // A term that failed leaves the objective incomplete: hand back none rather than a wrong one.
  const failed = terms.length !== form.calls.length || context.diagnostics.some((d) => d.severity === 'error');
  return { terms: failed ? [] : terms, diagnostics: context.diagnostics };
}

/** AE4016 for each term whose weights add up below zero (the same call written twice counts once):
 *  every term grows without bound as the model likes, so subtracting one makes the loss unbounded
 *  below, and training maximises that term instead of fitting anything. */
function subtractedTerms(calls: readonly WeightedCall[]): Diagnostic[] {
  // No weight below zero, no sum below zero: the keys below (each call's arguments as JSON) were
  // most of the time a small model's loss took to lower.
  if (calls.every((call) => call.weight >= 0)) return [];
  const byCall = new Map<string, { first: WeightedCall; weight: number }>();
  for (const call of calls) {
    const key = `${call.fn}(${JSON.stringify(call.args, (name, value) => (name === 'range' ? undefined : value))})`;
    const seen = byCall.get(key);
    if (seen) seen.weight += call.weight;
    else byCall.set(key, { first: call, weight: call.weight });
  }
  return [...byCall.values()]
    .filter(({ weight }) => weight < 0)
    .map(({ first, weight }) =>
      diagnostic('AE4016', message('AE4016', { term: first.fn, weight: String(weight) }), first.range, {
        notes: ['a loss term is minimised: to penalise less, give it a smaller positive weight (`mse(x_hat, x) + 0.01 * l2(z)`)'],
      }),
    );
}
