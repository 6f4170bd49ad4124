// The scanner (grammar/scanner.ts) makes what Chevrotain's lexer makes from the token definitions
// (the reference, reference-lexer.ts): the same tokens (text, offsets, type), comments and errors,
// on every .ae file of the repository, on edge cases written down, and on seeded mutations and
// random texts over the characters where the two could part (a failing seed replays).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ILexingResult, IToken } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { scan } from '../../grammar/scanner.js';
import { COMMENT_GROUP } from '../../grammar/tokens.js';
import { mulberry32 } from '../../runtime/random.js';
import { repoRoot } from '../format/cases.js';
import { referenceLexer } from './reference-lexer.js';

const brief = (token: IToken) => [token.image, token.startOffset, token.endOffset, token.tokenTypeIdx, token.tokenType.name];

/** Everything a lexing result holds, as plain data (token types by name and index). */
function lexed(result: ILexingResult) {
  return {
    tokens: result.tokens.map(brief),
    comments: (result.groups[COMMENT_GROUP] ?? []).map(brief),
    errors: result.errors.map((e) => [e.offset, e.length, e.line, e.column, e.message]),
  };
}

const agree = (text: string) => expect(lexed(scan(text)), JSON.stringify(text)).toEqual(lexed(referenceLexer.tokenize(text)));

function aeFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ae'))
    .sort()
    .map((name) => join(dir, name));
}

const sources = [...aeFiles(join(repoRoot, 'specs')), ...aeFiles(join(repoRoot, 'examples'))].map((path) => readFileSync(path, 'utf8'));

/** Characters where a hand-written lexer could part from the patterns: line ends of every kind,
 *  the whitespace set's edges, quotes and escapes, comment marks, number parts, keyword prefixes. */
const alphabet = [
  ' ', '\t', '\n', '\r', '\r\n', '\f', '\v', '\u00a0', '\ufeff', '\u2028', '\u2029', '\u00e9', '\u{1f600}',
  '"', '\\', '/', '*', '/*', '*/', '//', '.', 'e', 'E', '+', '-', '1', '0', '9', '_', 'x', 'Z',
  'let', 'in', 'input', 'as', 'true', 'block', 'model', '{', '}', '(', ')', '[', ']', ',', ':', '=',
  '@', '#', '$', ';', '<', '`', "'", '\u0000',
];

describe('the scanner against Chevrotain’s lexer', () => {
  it(`agrees on the ${sources.length} .ae files of the repository`, () => {
    expect(sources.length).toBeGreaterThan(100);
    for (const text of sources) agree(text);
  });

  it('agrees on the edge cases', () => {
    const cases = [
      '', ' ', 'letter let lets _let let_ l3t 3let', 'input inputs in int integer as asx', 'True true false falsey',
      '1 1. 1.5 .5 1e 1e5 1e+5 1e- 1E-3x 1.e5 12.34.56 007', '"" "a" "a\\"b" "a\\\\" "a\\', '"a\\\nb"', '"a\\\rb"', '"a\\\u2028b"', '"a\u2028b"',
      '"open\n', '"open', '"\\', '// c', '//', '// c\r\nx', '/* c */x', '/* a /* b */ c */', '/*', '/* never closed\n\n', '/**/', '/*/',
      'a/b', 'a //b', '@', '@@ x @ # $', '\u00a0x\ufeffy', '\u2028', 'x\u00e9y', '\u{1f600}', 'a\u0000b', 'x\r\ny\rz\n',
    ];
    for (const text of cases) agree(text);
  });

  it('agrees on 3,000 seeded mutations of the repository’s files', () => {
    const next = mulberry32(22);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    for (let i = 0; i < 3_000; i++) {
      let text = pick(sources);
      for (let edits = 1 + Math.floor(next() * 4); edits > 0; edits--) {
        const at = Math.floor(next() * (text.length + 1));
        const cut = next() < 0.3 ? Math.floor(next() * 8) : 0;
        text = text.slice(0, at) + (next() < 0.8 ? pick(alphabet) : '') + text.slice(at + cut);
      }
      agree(text);
    }
  });

  it('agrees on 3,000 seeded random texts', () => {
    const next = mulberry32(2022);
    for (let i = 0; i < 3_000; i++) {
      let text = '';
      for (let n = Math.floor(next() * 24); n > 0; n--) text += alphabet[Math.floor(next() * alphabet.length)];
      agree(text);
    }
  });
});
