import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import { renderErrorBaseline, renderHuman, renderJson } from '../../compiler/diagnostics/render.js';

const text = 'model m {\n  encoder { dense(64 act = relu) }\n}\nlet input = 3\n';
const { diagnostics } = analyzeSource(text, 'bad.ae');

describe('renderers', () => {
  it('renders rustc-style text with a gutter, carets and help', () => {
    const out = renderHuman(diagnostics, new Map([['bad.ae', text]]));
    expect(out).toBe(
      [
        'bad.ae:2:22: error AE1011: missing `,` between arguments',
        '  |',
        '2 |   encoder { dense(64 act = relu) }',
        '  |                      ^^^^^^^^^^',
        '  = help: insert `,`',
        '',
        'bad.ae:4:5: error AE1015: `input` is a keyword and cannot be used as a name; rename it, e.g. `input_`',
        '  |',
        '4 | let input = 3',
        '  |     ^^^^^',
        '  = help: rename to `input_`',
        '',
        '2 errors',
        '',
      ].join('\n'),
    );
  });

  it('renders related locations as notes', () => {
    const source = 'model m {\n  loss = 1\n';
    const out = renderHuman(analyzeSource(source, 'open.ae').diagnostics, new Map([['open.ae', source]]));
    expect(out).toContain('open.ae:1:9: note: the `{` opened here\n  |\n1 | model m {\n  |         ^');
  });

  it('renders JSON with exactly the documented keys and 1-based positions', () => {
    const parsed = JSON.parse(renderJson(diagnostics));
    expect(Object.keys(parsed)).toEqual(['diagnostics']);
    expect(Object.keys(parsed.diagnostics[0])).toEqual(['file', 'code', 'severity', 'message', 'range', 'notes', 'fix']);
    expect(parsed.diagnostics[0]).toMatchObject({
      file: 'bad.ae',
      code: 'AE1011',
      severity: 'error',
      range: { start: { line: 2, column: 22 }, end: { line: 2, column: 32 } },
      fix: { message: 'insert `,`' },
    });
    expect(parsed.diagnostics[0].range.start).toEqual({ line: 2, column: 22 });
  });

  it('renders a baseline with `~` under each range', () => {
    expect(renderErrorBaseline('let a: 3\n', analyzeSource('let a: 3\n', 'x.ae').diagnostics)).toBe(
      '==== 1 diagnostic\nlet a: 3\n     ~\n!!! error AE1013: expected `=` after the name in `let`, found `:`\n!!! note: `:` gives an input its type (`input x: [784]`); everything else is bound with `=`\n!!! fix: replace `:` with `=`\n\n',
    );
  });
});
