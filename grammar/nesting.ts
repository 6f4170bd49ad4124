// The nesting limit (LANGUAGE.md, "Limits"): how deep one place of a file may nest, counted on the
// tokens before parsing so that no recursive step after it (the parser, the tree builder, constant
// folding, the formatter, the IR emitter) can run out of stack whatever the input.
//
// Depth at a token = open brackets of any kind + operators (`+ - * /`, signs, `.`, and each
// bracketed suffix) chained since the last `,`, `=`, `:`, keyword or new item in each open bracket.
// That bounds the depth of every expression tree built from the tokens. Past the limit, the tokens
// up to the end of that item (its `,`, or the bracket that closes it) are left out of the parse and
// reported once as AE1024: the file is then in error, so nothing downstream trusts the cut tree.
import type { IToken, TokenType } from 'chevrotain';
import { tokenMatcher } from './chevrotain.js';
import type { TokenTape } from './token-tape.js';
import * as t from './tokens.js';

/** Deeper than any hand-written file needs; shallow enough for every recursive pass over the tree. */
export const MAX_NESTING = 64;

export interface NestingCut {
  /** The token that went past the limit; the cut runs to `end` (exclusive offset). */
  token: IToken;
  end: number;
  /** The start of the last token kept before the cut: what the parser then misses (an operator
   *  without its operand, a bracket without its content) is reported from here to `resumedAt`, and
   *  is part of this one problem. */
  keptFrom: number;
  /** Where reading resumed (the token after the cut), or Infinity when the cut ran to the end. */
  resumedAt: number;
}

const openers = [t.LParen, t.LBracket, t.LCurly];
const closers = [t.RParen, t.RBracket, t.RCurly];
const chaining = [t.Plus, t.Minus, t.Star, t.Slash, t.Dot];
const operandStarts = [t.Identifier, t.NumberLiteral, t.StringLiteral, t.True, t.False, t.ReferableKeyword];
const operandEnds = [...operandStarts, ...closers];

/** What a token type is to the nesting count, as bits, worked out once per type: tokenMatcher
 *  (which knows the token categories) for every class of every token was most of this pass's
 *  time, and bits (not an object's fields) keep the loop cheap while a fresh process still
 *  interprets it, which was most of this pass's time in `ae check`. */
const OPENER = 1;
const CLOSER = 2;
const CHAINING = 4;
const OPERAND_START = 8;
const OPERAND_END = 16;
const SEPARATOR = 32;

/** By token type index (a small integer): an array read, not a Map lookup, per token of the file. */
const classes: (number | undefined)[] = [];

function classOf(tape: TokenTape, index: number): number {
  let known = classes[tape.typeIndex(index)];
  if (known === undefined) {
    const type = tape.type(index);
    const token = { tokenTypeIdx: type.tokenTypeIdx!, tokenType: type } as IToken;
    const isAny = (types: readonly TokenType[]): boolean => types.some((type) => tokenMatcher(token, type));
    known =
      (isAny(openers) ? OPENER : 0) |
      (isAny(closers) ? CLOSER : 0) |
      (isAny(chaining) ? CHAINING : 0) |
      (isAny(operandStarts) ? OPERAND_START : 0) |
      (isAny(operandEnds) ? OPERAND_END : 0) |
      (isSeparator(token) ? SEPARATOR : 0);
    classes[type.tokenTypeIdx!] = known;
  }
  return known;
}

/** `,`, `=`, `:` and the keywords that begin a declaration or member (not `true` or `encoder`,
 *  which are operands). */
function isSeparator(token: IToken): boolean {
  if (tokenMatcher(token, t.Comma) || tokenMatcher(token, t.Binder)) return true;
  return tokenMatcher(token, t.Keyword) && !operandStarts.some((type) => tokenMatcher(token, type));
}

/** The tokens within the limit, and one cut per place that went past it. Linear in the tokens. */
export function limitNesting(tape: TokenTape, limit = MAX_NESTING): { tape: TokenTape; cuts: NestingCut[] } {
  // The indices of the tokens kept, listed only from the first cut on: a file within the limit
  // (nearly every one) is parsed from the scanner's own tape.
  let kept: number[] | undefined;
  const cuts: NestingCut[] = [];
  // Operators chained in each open bracket (index 0: outside every bracket), and their sum.
  const chains: number[] = [0];
  let chained = 0;
  // While cutting: brackets opened inside the cut, and the cut being extended.
  let cut: NestingCut | undefined;
  let cutDepth = 0;

  // (The depth, `chains.length - 1 + chained`, and the reset of a chain are written out in the
  // loop: as closures they made `chained` a variable read through the closure for each token.)
  // The previous token's class; 0 before the first token (no operand ends there).
  let previous = 0;
  for (let index = 0; index < tape.length; index++) {
    const kind = classOf(tape, index);
    const newItem = (kind & SEPARATOR) !== 0 || ((kind & OPERAND_START) !== 0 && (previous & OPERAND_END) !== 0);
    if (cut) {
      if ((kind & OPENER) !== 0) cutDepth++;
      else if ((kind & CLOSER) !== 0 && cutDepth > 0) cutDepth--;
      else if ((kind & CLOSER) !== 0 || (newItem && cutDepth === 0)) {
        cut.resumedAt = tape.start(index);
        cut = undefined;
      }
      if (cut) {
        cut.end = tape.end(index);
        previous = kind;
        continue;
      }
    }
    if (newItem) {
      chained -= chains[chains.length - 1]!;
      chains[chains.length - 1] = 0;
    }
    if ((kind & OPENER) !== 0) {
      chains.push(0);
    } else if ((kind & CLOSER) !== 0) {
      if (chains.length > 1) chained -= chains.pop()!;
      chains[chains.length - 1]!++;
      chained++;
    } else if ((kind & CHAINING) !== 0) {
      chains[chains.length - 1]!++;
      chained++;
    }
    // A closer is always kept (it only ends what its opener began); the next step past it is cut.
    if (chains.length - 1 + chained > limit && (kind & CLOSER) === 0) {
      // Undo this token's step and leave it out with the rest of its item.
      const opener = (kind & OPENER) !== 0;
      if (opener) chains.pop();
      else {
        chains[chains.length - 1]!--;
        chained--;
      }
      if (kept === undefined) {
        kept = [];
        for (let before = 0; before < index; before++) kept.push(before);
      }
      const last = kept[kept.length - 1];
      cut = { token: tape.token(index), end: tape.end(index), keptFrom: last === undefined ? 0 : tape.start(last), resumedAt: Infinity };
      cutDepth = opener ? 1 : 0;
      cuts.push(cut);
      previous = kind;
      continue;
    }
    kept?.push(index);
    previous = kind;
  }
  return { tape: kept ? tape.pick(kept) : tape, cuts };
}
