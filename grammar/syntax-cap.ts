// The cap on syntax errors (issue 22): a file of broken lines once printed every one of tens of
// thousands of errors, each with its whole source line, until Node ran out of memory. The first
// MAX_SYNTAX_ERRORS (in source order) are shown; one AE1025 then says how many more there are and,
// when the parser stopped reading (PARSE_ERROR_BUDGET), from where the file was not read.
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LineMap } from './positions.js';
import { thousands } from '../diagnostics/numbers.js';

export const MAX_SYNTAX_ERRORS = 100;

export interface SyntaxCapInput {
  /** The file's syntax diagnostics (all errors), sorted in source order. */
  sorted: readonly Diagnostic[];
  /** Lex errors never made into diagnostics (those past the first MAX_SYNTAX_ERRORS), and where
   *  the first of them is. */
  unmade: { count: number; firstOffset: number };
  /** Where the parser stopped reading after too many errors, and after how many. */
  stopped?: { offset: number; errors: number };
}

export function capSyntaxErrors({ sorted, unmade, stopped }: SyntaxCapInput, lines: LineMap): Diagnostic[] {
  const shown = sorted.slice(0, MAX_SYNTAX_ERRORS);
  const hidden = sorted.length - shown.length + unmade.count;
  if (hidden === 0 && stopped === undefined) return shown;
  const parts: string[] = [];
  if (hidden > 0) parts.push(`${thousands(hidden)} more syntax error${hidden === 1 ? '' : 's'} not shown`);
  if (stopped !== undefined) {
    const line = lines.position(stopped.offset).line;
    parts.push(`the parser stopped after ${thousands(stopped.errors)} errors and did not read the file from line ${line} on`);
  }
  // Placed at the first error not shown (or the stop), so it sorts after every one shown.
  const at = sorted[MAX_SYNTAX_ERRORS]?.range.start.offset ?? (unmade.count > 0 ? unmade.firstOffset : stopped!.offset);
  shown.push(
    diagnostic('AE1025', `too many syntax errors: ${parts.join('; ')}`, lines.range(at, at), {
      notes: [`only the first ${MAX_SYNTAX_ERRORS} are shown: fix them and check again`],
    }),
  );
  return shown;
}
