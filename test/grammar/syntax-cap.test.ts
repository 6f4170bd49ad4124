// Issue 22: syntax errors are capped and cost time linear in their number; each is rendered with a
// bounded excerpt of its line. The sizes are the reproducers (scaled where only the trend
// matters), so a return of the quadratic pass fails here.
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../grammar/index.js';
import { MAX_SYNTAX_ERRORS } from '../../grammar/syntax-cap.js';
import { PARSE_ERROR_BUDGET } from '../../grammar/parser.js';
import { MAX_EXCERPT_COLUMNS, renderHuman } from '../../diagnostics/render.js';
import { analyzeSource } from '../../compiler/analyze.js';

const cpuMs = (work: () => void): number => {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};

describe('the syntax error cap', () => {
  it('shows the first 100 errors of 20,000 broken lines, then one AE1025 with the count and where reading stopped', () => {
    const text = 'let = @\n'.repeat(20_000);
    const { diagnostics } = parseSource(text);
    expect(diagnostics).toHaveLength(MAX_SYNTAX_ERRORS + 1);
    const shown = diagnostics.slice(0, MAX_SYNTAX_ERRORS);
    // Each line has a missing name, a missing expression and a stray `@`: three errors a line, in
    // source order, so the hundredth is the first of line 34.
    const where = (d: (typeof diagnostics)[number]) => `${d.code}@${d.range.start.line}:${d.range.start.column}`;
    expect(shown.slice(0, 3).map(where)).toEqual(['AE1010@1:5', 'AE1016@1:6', 'AE1001@1:7']);
    expect(shown.slice(-2).map(where)).toEqual(['AE1001@33:7', 'AE1010@34:5']);
    const cap = diagnostics.at(-1)!;
    expect(where(cap)).toBe('AE1025@34:6');
    // Every stray character is counted (the lexer reads the whole file); the parser stopped after
    // PARSE_ERROR_BUDGET errors, two a line.
    const stopLine = PARSE_ERROR_BUDGET / 2 + 1;
    const found = /^too many syntax errors: ([\d,]+) more syntax errors not shown; the parser stopped after 1,000 errors and did not read the file from line (\d+) on$/.exec(cap.message);
    expect(found).not.toBeNull();
    expect(Number(found![2])).toBe(stopLine);
    const hidden = Number(found![1]!.replace(/,/g, ''));
    expect(hidden).toBeGreaterThan(20_000 - MAX_SYNTAX_ERRORS + PARSE_ERROR_BUDGET - 10);
    expect(hidden).toBeLessThanOrEqual(20_000 + PARSE_ERROR_BUDGET + 1 - MAX_SYNTAX_ERRORS);
  });

  it('keeps a file under the cap whole, with no AE1025', () => {
    const { diagnostics } = parseSource('let = @\n'.repeat(10));
    expect(diagnostics.map((d) => d.code)).toEqual(Array.from({ length: 10 }, () => ['AE1010', 'AE1016', 'AE1001']).flat());
  });

  it('is linear: 20,000 and 200,000 broken lines cost about the same, since reading stops at the budget', () => {
    parseSource('let = @\n'.repeat(100)); // warm up
    const small = cpuMs(() => parseSource('let = @\n'.repeat(2_000)));
    const large = cpuMs(() => parseSource('let = @\n'.repeat(20_000)));
    // Before: 20,000 lines took 12 s in parseSource (quadratic). Now the lexer's pass is the only
    // part that grows, and it is linear; the bound leaves room for a loaded machine.
    expect(large).toBeLessThan(1_500);
    expect(large / Math.max(small, 1)).toBeLessThan(25);
  });

  it('checks and renders a 1 MB line of `@ ` and a 32 KB one without running out of string length', () => {
    for (const size of [16_000, 500_000]) {
      const text = '@ '.repeat(size);
      let rendered = '';
      const ms = cpuMs(() => {
        const analysis = analyzeSource(text, 'at.ae');
        rendered = renderHuman(analysis.diagnostics, new Map([['at.ae', text]]));
      });
      expect(ms).toBeLessThan(3_000);
      const lines = rendered.split('\n');
      expect(lines.filter((l) => l.startsWith('at.ae:'))).toHaveLength(MAX_SYNTAX_ERRORS + 1);
      expect(lines.at(-2)).toBe(`${MAX_SYNTAX_ERRORS + 1} errors`);
      expect(rendered).toContain(`at.ae:1:201: error AE1025: too many syntax errors: ${(size - 100).toLocaleString('en-US')} more syntax errors not shown`);
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(MAX_EXCERPT_COLUMNS + 20);
    }
  });
});

describe('the bounded excerpt', () => {
  it('cuts a long line to a window around the caret, with … where it was cut, the caret under the error', () => {
    const text = `let a = [${'1, '.repeat(100)}@, 1${', 1'.repeat(100)}]\n`;
    const { diagnostics } = parseSource(text);
    const out = renderHuman(diagnostics, new Map([['long.ae', text]]), { defaultFile: 'long.ae' });
    const [, , source, caret] = out.split('\n');
    const column = text.indexOf('@') + 1;
    expect(out.startsWith(`long.ae:1:${column}: error AE1001`)).toBe(true);
    expect(source!.length).toBeLessThanOrEqual('1 | '.length + MAX_EXCERPT_COLUMNS + 2);
    expect(source!.startsWith('1 | …')).toBe(true);
    expect(source!.endsWith('…')).toBe(true);
    // The caret is under the `@` of the excerpt.
    expect(source![caret!.indexOf('^')]).toBe('@');
  });

  it('shows a short line whole', () => {
    const text = 'let a = @\n';
    const out = renderHuman(parseSource(text).diagnostics, new Map([['s.ae', text]]), { defaultFile: 's.ae' });
    expect(out.split('\n').slice(1, 4)).toEqual(['  |', '1 | let a = @', '  |        ^']);
  });
});
