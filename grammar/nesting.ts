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

/** What a token type is to the nesting count, worked out once per type: tokenMatcher (which knows
 *  the token categories) for every class of every token was most of this pass's time. */
interface TokenClass {
  opener: boolean;
  closer: boolean;
  chaining: boolean;
  operandStart: boolean;
  operandEnd: boolean;
  separator: boolean;
}
/** By token type index (a small integer): an array read, not a Map lookup, per token of the file. */
const classes: (TokenClass | undefined)[] = [];

function classOf(token: IToken): TokenClass {
  let known = classes[token.tokenTypeIdx];
  if (known === undefined) {
    const isAny = (types: readonly TokenType[]): boolean => types.some((type) => tokenMatcher(token, type));
    known = {
      opener: isAny(openers),
      closer: isAny(closers),
      chaining: isAny(chaining),
      operandStart: isAny(operandStarts),
      operandEnd: isAny(operandEnds),
      separator: isSeparator(token),
    };
    classes[token.tokenTypeIdx] = known;
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
export function limitNesting(tokens: IToken[], limit = MAX_NESTING): { tokens: IToken[]; cuts: NestingCut[] } {
  // The tokens kept, copied only from the first cut on: a file within the limit (nearly every one)
  // is parsed from the lexer's own array, where copying its 300,000 tokens of a megabyte was a
  // tenth of the parse.
  let kept: IToken[] | undefined;
  const cuts: NestingCut[] = [];
  // Operators chained in each open bracket (index 0: outside every bracket), and their sum.
  const chains: number[] = [0];
  let chained = 0;
  // While cutting: brackets opened inside the cut, and the cut being extended.
  let cut: NestingCut | undefined;
  let cutDepth = 0;

  const resetChain = (): void => {
    chained -= chains[chains.length - 1]!;
    chains[chains.length - 1] = 0;
  };
  const depth = (): number => chains.length - 1 + chained;

  let previousClass: TokenClass | undefined;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    const kind = classOf(token);
    const newItem = kind.separator || (kind.operandStart && previousClass !== undefined && previousClass.operandEnd);
    if (cut) {
      if (kind.opener) cutDepth++;
      else if (kind.closer && cutDepth > 0) cutDepth--;
      else if (kind.closer || (newItem && cutDepth === 0)) {
        cut.resumedAt = token.startOffset;
        cut = undefined;
      }
      if (cut) {
        cut.end = token.startOffset + token.image.length;
        previousClass = kind;
        continue;
      }
    }
    if (newItem) resetChain();
    if (kind.opener) {
      chains.push(0);
    } else if (kind.closer) {
      if (chains.length > 1) chained -= chains.pop()!;
      chains[chains.length - 1]!++;
      chained++;
    } else if (kind.chaining) {
      chains[chains.length - 1]!++;
      chained++;
    }
    // A closer is always kept (it only ends what its opener began); the next step past it is cut.
    if (depth() > limit && !kind.closer) {
      // Undo this token's step and leave it out with the rest of its item.
      const opener = kind.opener;
      if (opener) chains.pop();
      else {
        chains[chains.length - 1]!--;
        chained--;
      }
      kept ??= tokens.slice(0, index);
      const last = kept[kept.length - 1];
      cut = { token, end: token.startOffset + token.image.length, keptFrom: last ? last.startOffset : 0, resumedAt: Infinity };
      cutDepth = opener ? 1 : 0;
      cuts.push(cut);
      previousClass = kind;
      continue;
    }
    kept?.push(token);
    previousClass = kind;
  }
  return { tokens: kept ?? tokens, cuts };
}
