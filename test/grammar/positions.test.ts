// LineMap (grammar/positions.ts) finds line starts with indexOf when the text has no `\r`, and with
// a loop over every character otherwise; both must give the positions the definition gives: a line
// ends at `\n`, `\r\n` or a lone `\r`, lines and columns from 1, columns in UTF-16 units.
import { describe, expect, it } from 'vitest';
import { LineMap } from '../../grammar/positions.js';

/** The position of `offset` by the definition, counted one character at a time. */
function expected(text: string, offset: number): { offset: number; line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

describe('LineMap', () => {
  const texts = [
    '',
    'a',
    '\n',
    'model m {\n  latent z = identity\n}\n',
    '\n\nab\n\n',
    'no newline at the end',
    'let a = 1\r\nlet b = 2\r\n',
    'a\rb\rc',
    'a\r\n\rb\n\r\nc\r',
    'é😀\nx\r\ny',
  ];

  it('gives every offset the line and column the definition gives, with or without `\\r`', () => {
    for (const text of texts) {
      const lines = new LineMap(text);
      for (let offset = 0; offset <= text.length; offset++) expect(lines.position(offset), JSON.stringify(text)).toEqual(expected(text, offset));
    }
  });

  it('gives the same positions read in any order', () => {
    const text = 'a\nbb\r\nccc\rdddd\n\ne';
    const lines = new LineMap(text);
    for (const offset of [15, 0, 7, 3, 16, 1, 10, 2]) expect(lines.position(offset)).toEqual(expected(text, offset));
  });
});
