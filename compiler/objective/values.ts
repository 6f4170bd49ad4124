// Small helpers shared by the objective and the phases: constants as numbers, enum-like words, and
// "unknown X, did you mean Y" diagnostics with a fix an editor can apply. (Shapes: ../shapes/dims.ts.)
import type { Expression, SourceRange } from '../../grammar/ast.js';
import type { CheckedModel } from '../check/model.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../../diagnostics/codes/index.js';
import { closestMatch } from '../../diagnostics/suggest.js';

/** The expression's value when it is a constant number, else undefined. */
export function constantNumber(model: CheckedModel, expr: Expression): number | undefined {
  const value = model.evaluateConstant(expr);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** An enum-like word (`mean`, `same`) written as a bare name or a string. */
export function wordOf(expr: Expression): string | undefined {
  if (expr.kind === 'NameRef') return expr.name;
  if (expr.kind === 'StringLiteral') return expr.value;
  return undefined;
}

/** An "unknown X" diagnostic with did-you-mean as a note and as a replacing fix. */
export function unknownWord(
  code: DiagnosticCode,
  message: string,
  name: string,
  range: SourceRange,
  candidates: Iterable<string>,
  notes: string[] = [],
  render: (match: string) => string = (match) => match,
): Diagnostic {
  const match = closestMatch(name, candidates);
  if (match === undefined) return diagnostic(code, message, range, { notes });
  return diagnostic(code, message, range, {
    notes: [...notes, `did you mean \`${match}\`?`],
    fix: { message: `replace with \`${match}\``, edits: [{ range, newText: render(match) }] },
  });
}

/** The named arguments of a call by name (the first of duplicates), and the positional ones. */
export function splitArguments<A extends { name?: { name: string } }>(args: readonly A[]): { positional: A[]; named: A[] } {
  // One loop, not two filters with closures: once per loss call of every model.
  const positional: A[] = [];
  const named: A[] = [];
  for (const a of args) (a.name === undefined ? positional : named).push(a);
  return { positional, named };
}
