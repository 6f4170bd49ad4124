// Proves each loss weighs its per-sample terms on one scale: `reduce = mean` averages over every
// element of a sample while `reduce = sum` adds them up, so mixing the two in one loss silently
// multiplies the summed terms by the element count (784 for MNIST) against the written weights.
import type { Call, Expression } from '../../grammar/ast.js';
import type { CheckedModel } from '../check/model.js';
import { diagnostic, type Diagnostic, type TextEdit } from '../../diagnostics/diagnostic.js';
import type { Reduction } from '../../ir/types.js';
import { isLossName, lossTerm } from '../objective/builtins.js';
import type { LintRule } from './rule.js';
import { lossExpressions, walk } from './usage.js';

interface ReducedCall {
  call: Call;
  reduce: Reduction;
  /** The `reduce = ...` value, when written. */
  written?: Expression;
}

function reducedCalls(expression: Expression): ReducedCall[] {
  const calls: ReducedCall[] = [];
  for (const e of walk(expression)) {
    if (e.kind !== 'Call' || e.callee.kind !== 'NameRef' || !isLossName(e.callee.name) || !lossTerm(e.callee.name).perElement) continue;
    const written = e.args.find((a) => a.name?.name === 'reduce')?.value;
    const word = written?.kind === 'NameRef' ? written.name : undefined;
    if (written && word !== 'mean' && word !== 'sum') continue; // AE4006 reports it
    const reduce = (word as Reduction | undefined) ?? lossTerm(e.callee.name).defaultReduce;
    // `written` assigned, not spread into the literal: a runtime call per loss call of every model.
    const reduced: ReducedCall = { call: e, reduce };
    if (written) reduced.written = written;
    calls.push(reduced);
  }
  return calls;
}

/** `reduce = sum` on `call`: the written value replaced, or the option added before `)`. */
function sumEdit({ call, written }: ReducedCall): TextEdit {
  if (written) return { range: written.range, newText: 'sum' };
  const end = call.range.end;
  const at = { offset: end.offset - 1, line: end.line, column: end.column - 1 };
  return { range: { start: at, end: at }, newText: call.args.length === 0 ? 'reduce = sum' : ', reduce = sum' };
}

const nameOf = (call: Call) => (call.callee.kind === 'NameRef' ? call.callee.name : '');

function check(model: CheckedModel): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const expression of lossExpressions(model)) {
    const calls = reducedCalls(expression);
    const summed = calls.find((c) => c.reduce === 'sum');
    const averaged = calls.filter((c) => c.reduce === 'mean');
    if (!summed || averaged.length === 0) continue;
    const first = averaged[0]!;
    warnings.push(
      diagnostic('AE5008', `\`${nameOf(first.call)}\` averages over each sample's elements while \`${nameOf(summed.call)}\` sums them: this loss mixes \`reduce = mean\` and \`reduce = sum\``, first.call.range, {
        related: [{ message: `\`${nameOf(summed.call)}\` sums here${summed.written ? '' : ' (its default)'}`, range: summed.call.range }],
        notes: ['a mean term is divided by its element count (784 for a 28×28 image): beside the summed terms it weighs that many times less than its written weight'],
        fix: { message: 'sum every term: `reduce = sum`', edits: averaged.map(sumEdit) },
      }),
    );
  }
  return warnings;
}

export const mixedReductions: LintRule = { code: 'AE5008', name: 'mixed-reductions', check };
