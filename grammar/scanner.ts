// The lexer: a loop over character codes that makes, from .ae text, exactly the tokens, comments and
// errors Chevrotain's lexer makes from the token definitions in tokens.ts (test/grammar/scanner.test.ts
// runs both over every source in the repository and thousands of mutations of them). Chevrotain's
// tries each candidate pattern, a regular expression, at every token; in a fresh process that was
// 50-100 ms of a megabyte's `ae check`, and building the lexer (analysing the patterns) ~15 ms of
// every start.
//
// What the definitions say, as this loop does it:
// - whitespace ([ \t\r\n\f\v\u00a0\ufeff]) is skipped; `//` to the line's end, `/* … */` and an
//   unclosed `/*` to the end of the text are comments (the COMMENT_GROUP);
// - a name is [A-Za-z_][A-Za-z0-9_]*, a keyword when it is one whole (keywords are tried first, but
//   give way to a longer name: `letter`, `input_2`);
// - a number is \d+(\.\d+)?([eE][+-]?\d+)?, the fraction and exponent only when digits follow;
// - a string is `"` to the next unescaped `"` on its line; cut off by a line end or the text's end
//   it is an UnterminatedString (with a trailing `\` it could not escape);
// - each punctuation mark is its one character;
// - a run of characters that start none of these is one error.
//
// Every token of the text outlives the parse (a megabyte holds 300,000-520,000), so what each one
// costs is paid again when V8's scavenger copies it, twice, into the old generation: a token holds
// three fields (see Token), and a name or number met before reuses that one's image (see Words).
import type { ILexingError, ILexingResult, IToken, TokenType } from 'chevrotain';
import * as t from './tokens.js';

/** Tokens, comments (`groups.comments`) and errors, shaped as Chevrotain's lexer returns them. */
export function scan(text: string): ILexingResult {
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  const errors: ILexingError[] = [];
  const words = new Words(text.length);
  const length = text.length;
  let at = 0;
  while (at < length) {
    const c = text.charCodeAt(at);
    const start = at;
    if (isWhitespace(c)) {
      at++;
      continue;
    }
    let type: TokenType | undefined = punctuation[c];
    if (type !== undefined) {
      if (c === SLASH && text.charCodeAt(at + 1) === SLASH) {
        at = lineEnd(text, at + 2);
        comments.push(token(text, start, at, t.LineComment));
        continue;
      }
      if (c === SLASH && text.charCodeAt(at + 1) === STAR) {
        const close = text.indexOf('*/', at + 2);
        at = close === -1 ? length : close + 2;
        comments.push(token(text, start, at, close === -1 ? t.UnterminatedBlockComment : t.BlockComment));
        continue;
      }
      at++;
    } else if (isNameStart(c)) {
      at++;
      while (at < length && isNamePart(text.charCodeAt(at))) at++;
      tokens.push(words.token(text, start, at));
      continue;
    } else if (isDigit(c)) {
      at = numberEnd(text, at);
      tokens.push(words.token(text, start, at));
      continue;
    } else if (c === QUOTE) {
      const end = stringEnd(text, at + 1);
      at = end.at;
      type = end.closed ? t.StringLiteral : t.UnterminatedString;
    } else {
      while (at < length && !startsToken(text.charCodeAt(at))) at++;
      errors.push({ offset: start, line: undefined, column: undefined, length: at - start, message: 'unexpected character' });
      continue;
    }
    tokens.push(token(text, start, at, type));
  }
  return { tokens, groups: { [t.COMMENT_GROUP]: comments }, errors };
}

/** The token for text[start, end). */
function token(text: string, start: number, end: number, type: TokenType): IToken {
  return new Token(text.slice(start, end), start, type.tokenTypeIdx!);
}

/**
 * What Chevrotain's offset-only token holds with the end offset added (test/grammar/reference-lexer.ts
 * makes those): `image`, `startOffset`, `endOffset`, `tokenTypeIdx`, `tokenType`. Only three are
 * fields; the end follows from the image and the type from its index (which Chevrotain's parser
 * matches by), so they are getters on the prototype. As a plain object of five fields each token was
 * 64 bytes; this is 48, which a fresh process's `ae check` of a megabyte copies in every scavenge
 * that finds the tokens young. Chevrotain's own tokens (EOF, those recovery inserts) stay plain
 * objects of every field: whatever reads a token reads the same names of both. (Getters are not own
 * properties: a spread, Object.keys or JSON of a token would miss the two, and nothing does that.)
 */
class Token implements IToken {
  image: string;
  startOffset: number;
  tokenTypeIdx: number;

  constructor(image: string, startOffset: number, tokenTypeIdx: number) {
    this.image = image;
    this.startOffset = startOffset;
    this.tokenTypeIdx = tokenTypeIdx;
  }

  get endOffset(): number {
    return this.startOffset + this.image.length - 1;
  }

  get tokenType(): TokenType {
    return typeByIndex[this.tokenTypeIdx]!;
  }
}

/**
 * The images of the names and numbers of one text, by a hash of their characters: a name or number
 * the text repeats (`dense`, `x_hat`, a keyword, `64`) is one string, not a slice per token (a slice
 * is 24 bytes or more, and held as long as its token). One word per slot, a newcomer replacing it,
 * so a text of distinct names costs a slice each, as without the table, and never more memory than
 * the slots. A slot's word is reused only when it is the same characters, so a hash collision costs
 * a slice, never a wrong image. Made per text, and as large as the text needs (a slot per 8
 * characters, up to WORD_SLOTS), so a short text costs no more than without it; a table that
 * outlived its text would hold its images, and through the longer ones (V8 slices from 13
 * characters point into the text) the text itself.
 */
class Words {
  private readonly mask: number;
  private readonly images: (string | undefined)[];
  /** The token type index of each slot's word: an image is always the same type. */
  private readonly types: number[];

  constructor(length: number) {
    let slots = 16;
    while (slots < WORD_SLOTS && slots * 8 < length) slots *= 2;
    this.mask = slots - 1;
    this.images = new Array(slots);
    this.types = new Array(slots).fill(0);
  }

  /** The token of the name or number text[start, end). */
  token(text: string, start: number, end: number): IToken {
    const slot = wordHash(text, start, end) & this.mask;
    let image = this.images[slot];
    if (image !== undefined && image.length === end - start && text.startsWith(image, start)) return new Token(image, start, this.types[slot]!);
    image = text.slice(start, end);
    const type = isDigit(image.charCodeAt(0)) ? t.NumberLiteral : keywordTypes.get(image) ?? t.Identifier;
    this.images[slot] = image;
    this.types[slot] = type.tokenTypeIdx!;
    return new Token(image, start, type.tokenTypeIdx!);
  }
}

/** How many words a Words table keeps (a power of two): more than the distinct names of most files. */
export const WORD_SLOTS = 4096;

/** The hash of text[start, end) whose low bits are its slot in a Words table: FNV-1a over its
 *  character codes, the high half folded in. */
export function wordHash(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash ^ (hash >>> 16);
}

/** Every token type of tokens.ts by its index (Chevrotain numbers them as they are created). */
const typeByIndex: TokenType[] = [];
for (const type of t.allTokens) typeByIndex[type.tokenTypeIdx!] = type;

/** Where \d+(\.\d+)?([eE][+-]?\d+)? starting at `at` (a digit) ends. */
function numberEnd(text: string, at: number): number {
  at = digitsEnd(text, at);
  if (text.charCodeAt(at) === DOT && isDigit(text.charCodeAt(at + 1))) at = digitsEnd(text, at + 1);
  const e = text.charCodeAt(at);
  if (e === LOWER_E || e === UPPER_E) {
    const sign = text.charCodeAt(at + 1);
    const digit = sign === PLUS || sign === MINUS ? at + 2 : at + 1;
    if (isDigit(text.charCodeAt(digit))) at = digitsEnd(text, digit);
  }
  return at;
}

function digitsEnd(text: string, at: number): number {
  while (isDigit(text.charCodeAt(at))) at++;
  return at;
}

/** Where a string whose body starts at `at` ends: after its closing quote, or where its line or the
 *  text ends (after a `\` that found nothing it may escape: a line end, or the end). A `\` escapes
 *  any character a regular expression's `.` matches: all but \n, \r, \u2028 and \u2029. */
function stringEnd(text: string, at: number): { at: number; closed: boolean } {
  const length = text.length;
  while (at < length) {
    const c = text.charCodeAt(at);
    if (c === QUOTE) return { at: at + 1, closed: true };
    if (c === LF || c === CR) break;
    if (c === BACKSLASH) {
      if (at + 1 >= length || isLineTerminator(text.charCodeAt(at + 1))) return { at: at + 1, closed: false };
      at += 2;
      continue;
    }
    at++;
  }
  return { at, closed: false };
}

function lineEnd(text: string, at: number): number {
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === LF || c === CR) break;
    at++;
  }
  return at;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const STAR = 42;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const UPPER_E = 69;
const BACKSLASH = 92;
const LOWER_E = 101;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isNameStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isNamePart = (c: number): boolean => isNameStart(c) || isDigit(c);
const isWhitespace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff;
const isLineTerminator = (c: number): boolean => c === LF || c === CR || c === 0x2028 || c === 0x2029;

/** Whether some token starts with this character: an error's run of characters stops before one. */
const startsToken = (c: number): boolean => isWhitespace(c) || punctuation[c] !== undefined || isNameStart(c) || isDigit(c) || c === QUOTE;

/** Each punctuation mark's token, by its character code (`/` may also begin a comment). */
const punctuation: (TokenType | undefined)[] = [];
for (const type of [t.LCurly, t.RCurly, t.LParen, t.RParen, t.LBracket, t.RBracket, t.Comma, t.Colon, t.Equals, t.Dot, t.Plus, t.Minus, t.Star, t.Slash]) {
  punctuation[(type.PATTERN as string).charCodeAt(0)] = type;
}

const keywordTypes: ReadonlyMap<string, TokenType> = new Map(t.keywordTokens.map((type) => [(type.PATTERN as RegExp).source, type]));
