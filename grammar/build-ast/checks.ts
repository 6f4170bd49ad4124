// The syntax checks the permissive grammar defers to the builder: `=` versus `:` binders and missing commas.
import type { IToken } from 'chevrotain';
import type * as ast from '../ast.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { isRealToken, replaceFix, tokenSpan } from '../syntax-helpers.js';
import type { BuildContext } from './context.js';

type Separated = 'arguments' | 'list items' | 'parameters';

/** `=` is required here; `:` parses (so the rest of the file does) but is reported with a fix. */
export function expectEquals(b: BuildContext, binder: IToken | undefined, where: string): void {
  if (!isRealToken(binder) || binder.image === '=') return;
  const range = b.range(tokenSpan(binder));
  b.diagnostics.push(
    diagnostic('AE1013', `expected \`=\` ${where}, found \`:\``, range, {
      notes: ['`:` gives an input its type (`input x: [784]`); everything else is bound with `=`'],
      fix: replaceFix('replace `:` with `=`', range, '='),
    }),
  );
}

export function expectColon(b: BuildContext, binder: IToken | undefined): void {
  if (!isRealToken(binder) || binder.image === ':') return;
  const range = b.range(tokenSpan(binder));
  b.diagnostics.push(
    diagnostic('AE1014', 'expected `:` between an input and its type, found `=`', range, {
      notes: ['an input is declared with its type: `input x: [28, 28, 1] in [0, 1]`'],
      fix: replaceFix('replace `=` with `:`', range, ':'),
    }),
  );
}

/** The grammar lets separators be optional so a missing one is reported here, once, with a fix. */
export function checkCommas(b: BuildContext, items: Array<{ range: ast.SourceRange }>, commas: IToken[] | undefined, what: Separated): void {
  if (items.length < 2) return;
  // Items and commas are both in source order: one pass with a cursor into the commas.
  const commaOffsets = (commas ?? []).filter(isRealToken).map((c) => c.startOffset);
  let comma = 0;
  for (let i = 1; i < items.length; i++) {
    const previous = items[i - 1]!.range;
    const current = items[i]!.range;
    if (previous.end.offset === previous.start.offset || current.end.offset === current.start.offset) continue;
    while (comma < commaOffsets.length && commaOffsets[comma]! < previous.end.offset) comma++;
    const separated = comma < commaOffsets.length && commaOffsets[comma]! < current.start.offset;
    if (separated) continue;
    const insertAt = b.range({ start: previous.end.offset, end: previous.end.offset });
    b.diagnostics.push(
      diagnostic('AE1011', `missing \`,\` between ${what}`, current, {
        fix: { message: 'insert `,`', edits: [{ range: insertAt, newText: ',' }] },
      }),
    );
  }
}
