import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import { renderErrorBaseline, renderHuman, renderJson } from '../../diagnostics/render.js';

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
    expect(Object.keys(parsed.diagnostics[0])).toEqual(['file', 'code', 'severity', 'message', 'range', 'notes', 'related', 'fix']);
    expect(parsed.diagnostics[0]).toMatchObject({
      file: 'bad.ae',
      code: 'AE1011',
      severity: 'error',
      range: { start: { line: 2, column: 22 }, end: { line: 2, column: 32 } },
      fix: { message: 'insert `,`' },
    });
    expect(parsed.diagnostics[0].range.start).toEqual({ line: 2, column: 22 });
  });

  it('renders related locations in JSON, 1-based, with the file only when it is another', () => {
    const source = 'model m {\n  loss = 1\n';
    const parsed = JSON.parse(renderJson(analyzeSource(source, 'open.ae').diagnostics));
    const withRelated = parsed.diagnostics.find((d: { related: unknown[] }) => d.related.length > 0);
    expect(withRelated.related).toEqual([{ message: 'the `{` opened here', file: null, range: { start: { line: 1, column: 9 }, end: { line: 1, column: 10 } } }]);
  });

  it('renders a baseline with `~` under each range', () => {
    expect(renderErrorBaseline('let a: 3\n', analyzeSource('let a: 3\n', 'x.ae').diagnostics)).toBe(
      '==== 1 diagnostic\nlet a: 3\n     ~\n!!! error AE1013: expected `=` after the name in `let`, found `:`\n!!! note: `:` gives an input its type (`input x: [784]`); everything else is bound with `=`\n!!! fix: replace `:` with `=`\n\n',
    );
  });

  it('renders diagnostics of an imported file after the main one, under its name, with its own line', () => {
    const files: Record<string, string> = { 'lib.ae': '// lib\nlet width: 16\n' };
    const main = 'import "lib.ae" as lib\nlet w = lib.width\n';
    const analysis = analyzeSource(main, 'main.ae', { readFile: (f) => files[f], cwd: '/' });
    expect([...analysis.sources.keys()]).toEqual(['main.ae', 'lib.ae']);
    const baseline = renderErrorBaseline(main, analysis.diagnostics, { file: 'main.ae', sources: analysis.sources });
    expect(baseline).toBe(
      '==== 1 diagnostic\nimport "lib.ae" as lib\nlet w = lib.width\n\n==== lib.ae\n@@ 2:10\nlet width: 16\n         ~\n' +
        '!!! error AE1013: expected `=` after the name in `let`, found `:`\n' +
        '!!! note: `:` gives an input its type (`input x: [784]`); everything else is bound with `=`\n!!! fix: replace `:` with `=`\n',
    );
    // Without the file's text, the place and the message still show.
    expect(renderErrorBaseline(main, analysis.diagnostics, { file: 'main.ae' })).toContain('==== lib.ae\n@@ 2:10\n!!! error AE1013');
    const human = renderHuman(analysis.diagnostics, analysis.sources);
    expect(human).toContain('lib.ae:2:10: error AE1013');
    expect(human).toContain('2 | let width: 16');
  });

  it('names the file of a related place in another file', () => {
    const at = { offset: 0, line: 1, column: 1 };
    const range = { start: at, end: { ...at, offset: 1, column: 2 } };
    const cross = { code: 'AE2009' as const, severity: 'error' as const, message: 'cycle', range, file: 'a.ae', notes: [], related: [{ message: 'here', range, file: 'b.ae' }] };
    expect(renderErrorBaseline('x\n', [cross], { file: 'a.ae' })).toContain('!!! related b.ae:1:1: here');
    expect(renderErrorBaseline('x\n', [{ ...cross, related: [{ message: 'here', range, file: 'a.ae' }] }], { file: 'a.ae' })).toContain('!!! related 1:1: here');
  });
});
