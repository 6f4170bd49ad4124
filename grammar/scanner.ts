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
// The tokens go onto a tape (token-tape.ts), columns rather than an object each; a name or number
// the text repeats is one image (see Words).
import type { ILexingError, ILexingResult, IToken, TokenType } from 'chevrotain';
import { TapeWriter, tokenOf, type TokenTape } from './token-tape.js';
import * as t from './tokens.js';

/** What the scanner makes of a text: its tokens, comments and errors. */
export interface ScannedText {
  tape: TokenTape;
  comments: IToken[];
  errors: ILexingError[];
}

/** Tokens, comments (`groups.comments`) and errors, shaped as Chevrotain's lexer returns them. */
export function scan(text: string): ILexingResult {
  const scanned = scanTape(text);
  return { tokens: scanned.tape.tokens(), groups: { [t.COMMENT_GROUP]: scanned.comments }, errors: scanned.errors };
}

/** The tokens of `text` on a tape, its comments and its errors. */
export function scanTape(text: string): ScannedText {
  const tokens = new TapeWriter(text.length >> 3);
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
        comments.push(tokenOf(text.slice(start, at), start, t.LineComment));
        continue;
      }
      if (c === SLASH && text.charCodeAt(at + 1) === STAR) {
        const close = text.indexOf('*/', at + 2);
        at = close === -1 ? length : close + 2;
        comments.push(tokenOf(text.slice(start, at), start, close === -1 ? t.UnterminatedBlockComment : t.BlockComment));
        continue;
      }
      at++;
      tokens.push(type.PATTERN as string, start, type.tokenTypeIdx!);
      continue;
    } else if (isNameStart(c)) {
      at++;
      while (at < length && isNamePart(text.charCodeAt(at))) at++;
      words.push(tokens, text, start, at);
      continue;
    } else if (isDigit(c)) {
      at = numberEnd(text, at);
      words.push(tokens, text, start, at);
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
    tokens.push(text.slice(start, at), start, type.tokenTypeIdx!);
  }
  return { tape: tokens.finish(), comments, errors };
}

/**
 * The images of the names and numbers of one text, by a hash of their characters: a name or number
 * the text repeats (`dense`, `x_hat`, a keyword, `64`) is one string, not a slice per token (a slice
 * is 24 bytes or more, and held as long as the tape). One word per slot, a newcomer replacing it,
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

  /** Puts the name or number text[start, end) onto the tape. */
  push(tape: TapeWriter, text: string, start: number, end: number): void {
    const slot = wordHash(text, start, end) & this.mask;
    let image = this.images[slot];
    if (image !== undefined && image.length === end - start && text.startsWith(image, start)) {
      tape.push(image, start, this.types[slot]!);
      return;
    }
    image = text.slice(start, end);
    const type = isDigit(image.charCodeAt(0)) ? t.NumberLiteral : keywordTypes.get(image) ?? t.Identifier;
    this.images[slot] = image;
    this.types[slot] = type.tokenTypeIdx!;
    tape.push(image, start, type.tokenTypeIdx!);
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
