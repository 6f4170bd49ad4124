// The scanner reuses the image of a name or number it met before (grammar/scanner.ts, Words): a
// table of a fixed size, by a hash of the characters. Whatever shares a slot, every token must
// still read as its own text and type, and a text of distinct names must cost a bounded amount of
// work per token (counted, so a loaded machine cannot disturb it).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scan, WORD_SLOTS, wordHash } from '../../grammar/scanner.js';

/** Each token as its text, offsets and type: what the text says it is. */
const read = (text: string) => scan(text).tokens.map((token) => [token.image, token.startOffset, token.endOffset, token.tokenType.name]);

const expected = (words: readonly string[], type: (word: string) => string) => {
  let at = 0;
  return words.map((word) => {
    const token = [word, at, at + word.length - 1, type(word)];
    at += word.length + 1;
    return token;
  });
};

/** A word's slot in the largest table: words that share it share a slot in every smaller one too. */
const slotOf = (word: string) => wordHash(word, 0, word.length) & (WORD_SLOTS - 1);

/** Two different words from `make(0)`, `make(1)`, … that share a slot (and that `fit`). */
function collision(make: (i: number) => string, fit: (a: string, b: string) => boolean = () => true): [string, string] {
  const seen = new Map<number, string[]>();
  for (let i = 0; ; i++) {
    const word = make(i);
    const others = seen.get(slotOf(word)) ?? [];
    const other = others.find((o) => fit(o, word));
    if (other !== undefined) return [other, word];
    seen.set(slotOf(word), [...others, word]);
  }
}

describe('images of names and numbers, reused by a hash', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('never give a word the image or type of another in its slot', () => {
    const sameLength = collision((i) => `n${String(i).padStart(5, '0')}`);
    const otherLength = collision((i) => 'v'.repeat(1 + (i % 7)) + i, (a, b) => a.length !== b.length);
    const numbers = collision((i) => `${i}.5`);
    // A name in a keyword's slot: the keyword stays a keyword, the name a name.
    const keyword = collision((i) => (i === 0 ? 'input' : `w${i}`), (a) => a === 'input');
    expect(slotOf(sameLength[0])).toBe(slotOf(sameLength[1]));
    expect(keyword[0]).toBe('input');
    for (const [a, b] of [sameLength, otherLength, numbers, keyword]) {
      const words = [a, b, a, a, b, b, a];
      expect(read(words.join(' '))).toEqual(expected(words, (w) => (/^\d/.test(w) ? 'NumberLiteral' : w === 'input' ? 'Input' : 'Identifier')));
    }
  });

  it('read long names right, those of one length that share a slot too', () => {
    const long = 'q'.repeat(10_000);
    const [a, b] = collision((i) => `${long}${String(i).padStart(6, '0')}`);
    const words = [a, b, long, a, `${long}_`, b];
    expect(read(words.join(' '))).toEqual(expected(words, () => 'Identifier'));
  });

  it('take a text of 100,000 distinct names right, with at most one comparison of characters per name', () => {
    const words = Array.from({ length: 100_000 }, (_, i) => `name${i}`);
    const text = words.join(' ');
    const compared = vi.spyOn(String.prototype, 'startsWith');
    const tokens = scan(text).tokens;
    expect(compared.mock.calls.length).toBeLessThanOrEqual(words.length);
    vi.restoreAllMocks();
    expect(tokens.length).toBe(words.length);
    expect(tokens.every((token, i) => token.image === words[i] && token.tokenType.name === 'Identifier')).toBe(true);
  });
});
