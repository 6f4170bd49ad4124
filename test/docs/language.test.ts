import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../compiler/analyze.js';
import { parseSource } from '../../grammar/index.js';
import { fragmentWrappers, languageExamples } from './language-examples.js';

const examples = languageExamples();
/** Files an example may import: the `file=NAME` examples of the page. */
const files = new Map(examples.flatMap((e) => (e.file ? [[e.file, e.source] as const] : [])));
const readFile = (file: string) => files.get(file);

function analyze(source: string) {
  return analyzeSource(source, 'example.ae', { readFile, cwd: '/' });
}

const shown = (diagnostics: { code: string; message: string; range: { start: { line: number } } }[]) =>
  diagnostics.map((d) => `${d.code} line ${d.range.start.line}: ${d.message}`);

describe('docs/language.md examples', () => {
  it('has examples of every kind', () => {
    expect(examples.filter((e) => e.kind === 'complete').length).toBeGreaterThan(15);
    expect(examples.some((e) => e.kind === 'error')).toBe(true);
    expect(examples.some((e) => e.kind === 'fragment')).toBe(true);
    expect(files.has('lib.ae')).toBe(true);
  });

  for (const example of examples.filter((e) => e.kind === 'complete')) {
    it(`line ${example.line}: compiles with no error and no warning`, () => {
      const analysis = analyze(example.source);
      expect(shown(analysis.diagnostics)).toEqual([]);
      const models = analysis.ast.declarations.filter((d) => d.kind === 'ModelDeclaration').length;
      expect(analysis.irs).toHaveLength(models);
      if (!example.file) expect(models).toBeGreaterThan(0);
    });
  }

  for (const example of examples.filter((e) => e.kind === 'error')) {
    it(`line ${example.line}: reports ${example.code}`, () => {
      const codes = analyze(example.source).diagnostics.map((d) => d.code);
      expect(codes).toContain(example.code);
    });
  }

  for (const example of examples.filter((e) => e.kind === 'fragment')) {
    it(`line ${example.line}: the fragment parses`, () => {
      const attempts = fragmentWrappers(example.source).map((text) => parseSource(text).diagnostics);
      const best = attempts.find((diagnostics) => diagnostics.length === 0);
      expect(best, shown(attempts[attempts.length - 1]!).join('\n')).toBeDefined();
    });
  }
});

describe('fence parsing', () => {
  it('reads the info string of each kind', () => {
    const text = '```ae\nlet a = 1\n```\n```ae error AE2001\nlet b = c\n```\n```ae fragment\ndense(4)\n```\n```ae file=lib.ae\nlet d = 2\n```\n';
    expect(languageExamples(text).map(({ kind, code, file }) => ({ kind, code, file }))).toEqual([
      { kind: 'complete', code: undefined, file: undefined },
      { kind: 'error', code: 'AE2001', file: undefined },
      { kind: 'fragment', code: undefined, file: undefined },
      { kind: 'complete', code: undefined, file: 'lib.ae' },
    ]);
  });

  it('rejects an unknown info string, so a typo cannot skip an example', () => {
    expect(() => languageExamples('```ae fragmnet\nx\n```\n')).toThrow(/unknown fence info/);
  });
});
