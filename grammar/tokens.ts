// The tokens of the .ae language. Every token has a `label` written the way an error message quotes
// it ("`{`", "a name"), so parse errors never show token-type names.
import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

// ---------------------------------------------------------------- whitespace and comments

/** Newlines are plain whitespace: members and layers are separated by their shape, not by lines. */
export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

/** Comments go to their own group: the parser never sees them, the formatter keeps them. */
export const COMMENT_GROUP = 'comments';

export const LineComment = createToken({
  name: 'LineComment',
  pattern: /\/\/[^\n\r]*/,
  group: COMMENT_GROUP,
});

export const BlockComment = createToken({
  name: 'BlockComment',
  pattern: /\/\*[\s\S]*?\*\//,
  group: COMMENT_GROUP,
  line_breaks: true,
});

/** `/*` with no closing: kept as a comment running to the end, and reported (AE1003). */
export const UnterminatedBlockComment = createToken({
  name: 'UnterminatedBlockComment',
  pattern: /\/\*[\s\S]*/,
  group: COMMENT_GROUP,
  line_breaks: true,
});

// ---------------------------------------------------------------- names and keywords

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });

/** Every keyword; a name position that finds one reports "`input` is a keyword" instead of a bare mismatch. */
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA, label: 'a keyword' });

/** Keywords that may stand for a part of the model inside an expression: `mirror(encoder)`, `freeze = [encoder]`. */
export const ReferableKeyword = createToken({ name: 'ReferableKeyword', pattern: Lexer.NA, label: 'a model part' });

function keyword(word: string, categories: TokenType[] = []): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  return createToken({
    name,
    pattern: new RegExp(word),
    // `letter` and `encoder_out` are names, not keywords followed by more letters.
    longer_alt: Identifier,
    categories: [Keyword, ...categories],
    label: `\`${word}\``,
  });
}

export const Let = keyword('let');
export const Block = keyword('block');
export const Model = keyword('model');
export const Import = keyword('import');
export const Input = keyword('input');
export const Latent = keyword('latent', [ReferableKeyword]);
export const Encoder = keyword('encoder', [ReferableKeyword]);
export const Decoder = keyword('decoder', [ReferableKeyword]);
export const Output = keyword('output');
export const Corrupt = keyword('corrupt');
export const With = keyword('with');
export const Then = keyword('then');
export const Loss = keyword('loss');
export const Train = keyword('train');
export const Head = keyword('head');
export const On = keyword('on');
export const As = keyword('as');
export const In = keyword('in');
export const Mirror = keyword('mirror');
export const Repeat = keyword('repeat');
export const True = keyword('true');
export const False = keyword('false');

/** In LANGUAGE.md order; tests check this matches the documented keyword list. */
export const keywordTokens: readonly TokenType[] = [
  Let, Block, Model, Import, Input, Latent, Encoder, Decoder, Output, Corrupt, With, Then,
  Loss, Train, Head, On, As, In, Mirror, Repeat, True, False,
];

export const keywordNames: ReadonlySet<string> = new Set(keywordTokens.map((t) => (t.PATTERN as RegExp).source));

// ---------------------------------------------------------------- literals

export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  label: 'a number',
});

export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^"\\\r\n]|\\.)*"/,
  label: 'a string',
});

/** A string cut off by the end of the line: the parser takes it as a string, the front end reports AE1002. */
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\r\n]|\\.)*\\?/,
  categories: [StringLiteral],
  label: 'a string',
});

// ---------------------------------------------------------------- punctuation

function punctuation(name: string, text: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern: text, label: `\`${text}\``, categories });
}

/** `=` and `:` are one category so that `let a: 3` and `input x = [784]` parse, and the AST
 *  builder reports the wrong one with a fix instead of the parser losing its way. */
export const Binder = createToken({ name: 'Binder', pattern: Lexer.NA, label: '`=`' });

export const LCurly = punctuation('LCurly', '{');
export const RCurly = punctuation('RCurly', '}');
export const LParen = punctuation('LParen', '(');
export const RParen = punctuation('RParen', ')');
export const LBracket = punctuation('LBracket', '[');
export const RBracket = punctuation('RBracket', ']');
export const Comma = punctuation('Comma', ',');
export const Colon = punctuation('Colon', ':', [Binder]);
export const Equals = punctuation('Equals', '=', [Binder]);
export const Dot = punctuation('Dot', '.');
export const Plus = punctuation('Plus', '+');
export const Minus = punctuation('Minus', '-');
export const Star = punctuation('Star', '*');
export const Slash = punctuation('Slash', '/');

/**
 * The parser's vocabulary, and the lexer's definition: Chevrotain's lexer would try these in order,
 * first match wins (keywords fall back to Identifier through `longer_alt`), and grammar/scanner.ts
 * makes what it would (test/grammar/scanner.test.ts runs both). The order matters where patterns
 * overlap:
 * - whitespace first: it is the most frequent token;
 * - comments before `/`: `//` and `/*` must not lex as division;
 * - a closed block comment before the unterminated one, which would otherwise swallow the file;
 * - keywords before Identifier (Identifier matches every keyword);
 * - a closed string before the unterminated one (same reason as comments);
 * - the categories (Keyword, ReferableKeyword, Binder) have no pattern and only need to be listed.
 */
export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  ...keywordTokens,
  Identifier,
  NumberLiteral,
  StringLiteral,
  UnterminatedString,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Equals,
  Dot,
  Plus,
  Minus,
  Star,
  Slash,
  Keyword,
  ReferableKeyword,
  Binder,
];
