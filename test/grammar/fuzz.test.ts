// Property: whatever the text, parseSource returns (never throws, never loops) and every
// diagnostic range lies inside the file. Inputs are the valid specs mutated token by token,
// with a fixed seed so a failure reproduces. The specs are capped in size so the test's cost does
// not grow with every spec someone adds.
import { describe, expect, it } from 'vitest';
import type { SourceRange } from '../../grammar/ast.js';
import { parseSource } from '../../grammar/index.js';
import { scan } from '../../grammar/scanner.js';
import { mulberry32 } from '../../runtime/random.js';
import { validSpecs } from './helpers.js';

/** The runtime's seeded generator: a failing seed replays. */
const random = mulberry32;

const extras = ['{', '}', '(', ')', '[', ']', ',', '=', ':', '+', '*', '-', '/', '.', 'let', 'model', 'as', 'in', '"', '/*', '#', '1e', 'x', '\n'];

/** One to three token edits (delete, insert, swap, duplicate), applied right to left on one lexing. */
function mutate(text: string, next: () => number): string {
  const tokens = scan(text).tokens;
  if (tokens.length === 0) return text + extras[Math.floor(next() * extras.length)];
  const edits = 1 + Math.floor(next() * 3);
  const picked = Array.from({ length: edits }, () => tokens[Math.floor(next() * tokens.length)]!)
    .filter((token, i, all) => all.indexOf(token) === i)
    .sort((a, b) => b.startOffset - a.startOffset);
  let result = text;
  for (const token of picked) {
    const start = token.startOffset;
    const end = start + token.image.length;
    const pick = next();
    if (pick < 0.35) {
      result = result.slice(0, start) + result.slice(end); // delete
    } else if (pick < 0.7) {
      const extra = extras[Math.floor(next() * extras.length)]!;
      result = `${result.slice(0, start)}${extra} ${result.slice(start)}`; // insert
    } else if (pick < 0.85) {
      const other = tokens[Math.floor(next() * tokens.length)]!;
      result = result.slice(0, start) + other.image + result.slice(end); // replace with another token
    } else {
      result = `${result.slice(0, start)}${token.image} ${result.slice(start)}`; // duplicate
    }
  }
  return result;
}

function inside(range: SourceRange, length: number): boolean {
  return (
    range.start.offset >= 0 &&
    range.start.offset <= range.end.offset &&
    range.end.offset <= length &&
    range.start.line >= 1 &&
    range.start.column >= 1 &&
    (range.end.line > range.start.line || range.end.column >= range.start.column)
  );
}

describe('parser fuzzing', () => {
  it('survives 2000 mutated specs with every range inside the file', () => {
    const specs = validSpecs().map((s) => s.text).filter((text) => text.length <= 1200);
    const next = random(20240601);
    let withErrors = 0;
    for (let i = 0; i < 2000; i++) {
      const text = mutate(specs[i % specs.length]!, next);
      let result: ReturnType<typeof parseSource>;
      try {
        result = parseSource(text);
      } catch (error) {
        throw new Error(`parseSource threw on case ${i}: ${String(error)}\n---\n${text}`);
      }
      if (result.diagnostics.length > 0) withErrors++;
      for (const d of result.diagnostics) {
        const ranges = [d.range, ...d.related.map((r) => r.range), ...(d.fix?.edits.map((e) => e.range) ?? [])];
        for (const range of ranges) {
          if (!inside(range, text.length)) throw new Error(`case ${i}: ${d.code} range ${JSON.stringify(range)} outside the file\n---\n${text}`);
        }
        expect(d.message).not.toMatch(/internal error/);
      }
      expect(result.ast.kind).toBe('SourceFile');
    }
    // Most mutations break the file; the test is only meaningful if they do.
    expect(withErrors).toBeGreaterThan(1000);
  });

  it('survives arbitrary text', () => {
    const next = random(7);
    const alphabet = 'ab{}()[],=:+-*/."\\\n #0123456789e_letmodelinputencoder';
    for (let i = 0; i < 1000; i++) {
      const length = Math.floor(next() * 80);
      let text = '';
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(next() * alphabet.length)];
      const result = parseSource(text);
      for (const d of result.diagnostics) expect(inside(d.range, text.length)).toBe(true);
    }
  });
});
