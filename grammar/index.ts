// The front end's entry points. Neither function throws, whatever the text: every problem is a
// diagnostic, and the tree is built from whatever the parser recovered.
import type { ILexingError, IRecognitionException, IToken } from 'chevrotain';
import type { Comment, SourceFile } from './ast.js';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { message } from '../diagnostics/message.js';
import { AstBuilder } from './build-ast/index.js';
import type { DeclarationCstNode, FileCstNode } from './cst.js';
import { aeParser } from './parser.js';
import { LineMap } from './positions.js';
import { limitNesting, MAX_NESTING, type NestingCut } from './nesting.js';
import { lexDiagnostics, parseDiagnostics, unterminatedDiagnostics } from './syntax-errors.js';
import { aeLexer, BlockComment, COMMENT_GROUP, UnterminatedBlockComment } from './tokens.js';

export interface ParseResult {
  cst: FileCstNode;
  tokens: IToken[];
  comments: IToken[];
  lexErrors: ILexingError[];
  parseErrors: IRecognitionException[];
  /** Places nested past MAX_NESTING, left out of the parse (grammar/nesting.ts). */
  nestingCuts: NestingCut[];
}

/** Lex and parse; the CST is always present (possibly partial). */
export function parse(text: string): ParseResult {
  const lexed = aeLexer.tokenize(text);
  const limited = limitNesting(lexed.tokens);
  aeParser.input = limited.tokens;
  const cst = aeParser.file() as FileCstNode;
  return {
    cst,
    tokens: limited.tokens,
    nestingCuts: limited.cuts,
    comments: lexed.groups[COMMENT_GROUP] ?? [],
    lexErrors: lexed.errors,
    parseErrors: [...aeParser.errors],
  };
}

const builder = new AstBuilder();

/** Text → AST and syntax diagnostics (AE1xxx), in source order. Never throws. */
export function parseSource(text: string): { ast: SourceFile; diagnostics: Diagnostic[] } {
  const lines = new LineMap(text);
  try {
    builder.begin(lines);
    // Each declaration's tree is built as soon as it is parsed (see AeParser.declarationSink).
    aeParser.declarationSink = (node) => builder.buildDeclaration(node as DeclarationCstNode);
    let parsed: ParseResult;
    try {
      parsed = parse(text);
    } finally {
      aeParser.declarationSink = undefined;
    }
    const comments = parsed.comments.map((c) => commentNode(c, lines));
    const built = builder.finish(parsed.cst, comments);
    const cut = (d: Diagnostic): boolean => parsed.nestingCuts.some((c) => d.range.start.offset >= c.keptFrom && d.range.start.offset <= c.resumedAt);
    const diagnostics = [
      ...lexDiagnostics(parsed.lexErrors, lines),
      ...unterminatedDiagnostics(parsed.tokens, parsed.comments, lines),
      ...[...parseDiagnostics(parsed.parseErrors, parsed.tokens, lines, parsed.lexErrors), ...built.diagnostics].filter((d) => !cut(d)),
      ...nestingDiagnostics(parsed.nestingCuts, lines),
    ];
    return { ast: built.ast, diagnostics: sortDiagnostics(diagnostics) };
  } catch (error) {
    // A bug in the front end must not take the caller down: report it where the user can see it.
    const everything = lines.range(0, 0);
    const found = `an internal error in the parser (${error instanceof Error ? error.message : String(error)})`;
    return {
      ast: { kind: 'SourceFile', declarations: [], comments: [], range: lines.range(0, text.length), recovered: true },
      diagnostics: [diagnostic('AE1010', message('AE1010', { expected: 'a file the parser can read', found }), everything)],
    };
  }
}

function nestingDiagnostics(cuts: readonly NestingCut[], lines: LineMap): Diagnostic[] {
  return cuts.map((cut) =>
    diagnostic('AE1024', `nested more than ${MAX_NESTING} deep (brackets, signs and operators chained in one expression)`, lines.range(cut.token.startOffset, cut.end), {
      notes: ['this part was not read; split it with `let` constants'],
    }),
  );
}

function commentNode(token: IToken, lines: LineMap): Comment {
  const block = token.tokenType === BlockComment || token.tokenType === UnterminatedBlockComment;
  return { kind: 'Comment', text: token.image, block, range: lines.range(token.startOffset, token.startOffset + token.image.length) };
}

export { LineMap } from './positions.js';
