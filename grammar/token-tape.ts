// The tokens of a text as columns (a tape): each token's image, start offset and type index, in
// arrays, not an object per token. A megabyte holds 300,000-520,000 tokens, all alive until the
// parse ends; made as objects by the scanner, a fresh process's `ae check` spent most of its scan
// (~70 of ~90 ms) allocating them and its scavenger copying them, twice, into the old generation.
// The parser's fast paths (grammar/parser.ts, `plain…`) and the tree they build
// (build-ast, `plain…`) read the columns, so the tokens of plain declarations are never objects;
// a token becomes one (`token`) only where Chevrotain's grammar reads it (AeParser.LA), or a
// diagnostic needs it.
import type { IToken, TokenType } from 'chevrotain';
import * as t from './tokens.js';

export class TokenTape {
  /** Each token as an object, made when first asked for (`token`), else `undefined`: Chevrotain's
   *  parser takes this array as its input (and pads its end with EOF tokens while it parses). */
  readonly objects: (IToken | undefined)[];

  /**
   * @param images each token's text: a name or number the text repeats is one string (scanner.ts, Words)
   * @param starts each token's start offset
   * @param typeIndices each token's `tokenTypeIdx`
   * @param length how many tokens (the columns may be longer)
   */
  constructor(
    private readonly images: readonly string[],
    private readonly starts: Int32Array,
    private readonly typeIndices: Uint16Array,
    readonly length: number,
  ) {
    // Holes, read as `undefined` (V8 keeps an array of a megabyte's 500,000 holes a flat array).
    this.objects = new Array(length);
  }

  type(index: number): TokenType {
    return typeByIndex[this.typeIndices[index]!]!;
  }

  /** The `tokenTypeIdx` of the token at `index` (what `type` looks up). */
  typeIndex(index: number): number {
    return this.typeIndices[index]!;
  }

  image(index: number): string {
    return this.images[index]!;
  }

  start(index: number): number {
    return this.starts[index]!;
  }

  /** The offset just past the token. */
  end(index: number): number {
    return this.starts[index]! + this.images[index]!.length;
  }

  /** The token at `index` as an object (always the same one). */
  token(index: number): IToken {
    return (this.objects[index] ??= new Token(this.images[index]!, this.starts[index]!, this.typeIndices[index]!));
  }

  /** Every token as an object. */
  tokens(): IToken[] {
    const all: IToken[] = [];
    for (let index = 0; index < this.length; index++) all.push(this.token(index));
    return all;
  }

  /** The tape of the tokens at `indices` (ascending): what is left when some are cut out. */
  pick(indices: readonly number[]): TokenTape {
    const writer = new TapeWriter(indices.length);
    for (const index of indices) writer.push(this.images[index]!, this.starts[index]!, this.typeIndices[index]!);
    return writer.finish();
  }
}

/** Builds a tape a token at a time, its columns growing as needed. */
export class TapeWriter {
  private readonly images: string[] = [];
  private starts: Int32Array;
  private typeIndices: Uint16Array;
  private length = 0;

  constructor(capacity = 1024) {
    this.starts = new Int32Array(Math.max(16, capacity));
    this.typeIndices = new Uint16Array(this.starts.length);
  }

  push(image: string, start: number, typeIndex: number): void {
    if (this.length === this.starts.length) {
      const starts = new Int32Array(this.length * 2);
      starts.set(this.starts);
      this.starts = starts;
      const typeIndices = new Uint16Array(this.length * 2);
      typeIndices.set(this.typeIndices);
      this.typeIndices = typeIndices;
    }
    this.images.push(image);
    this.starts[this.length] = start;
    this.typeIndices[this.length] = typeIndex;
    this.length++;
  }

  finish(): TokenTape {
    return new TokenTape(this.images, this.starts, this.typeIndices, this.length);
  }
}

/** A token of the given type that is not on a tape (a comment). */
export function tokenOf(image: string, start: number, type: TokenType): IToken {
  return new Token(image, start, type.tokenTypeIdx!);
}

/**
 * What Chevrotain's offset-only token holds with the end offset added (test/grammar/reference-lexer.ts
 * makes those): `image`, `startOffset`, `endOffset`, `tokenTypeIdx`, `tokenType`. Only three are
 * fields; the end follows from the image and the type from its index (which Chevrotain's parser
 * matches by), so they are getters on the prototype: 48 bytes, not a plain object's 64. Chevrotain's
 * own tokens (EOF, those recovery inserts) stay plain objects of every field: whatever reads a
 * token reads the same names of both. (Getters are not own properties: a spread, Object.keys or
 * JSON of a token would miss the two, and nothing does that.)
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

/** Every token type of tokens.ts by its index (Chevrotain numbers them as they are created). */
const typeByIndex: TokenType[] = [];
for (const type of t.allTokens) typeByIndex[type.tokenTypeIdx!] = type;
