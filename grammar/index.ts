// The front end's entry points. Neither function throws, whatever the text: every problem is a
// diagnostic, and the tree is built from whatever the parser recovered.
import type { ILexingError, IRecognitionException, IToken } from 'chevrotain';
import type { Comment, SourceFile } from './ast.js';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { message } from '../diagnostics/message.js';
import { AstBuilder } from './build-ast/index.js';
import type { DeclarationCstNode, FileCstNode, LayerCstNode } from './cst.js';
import { aeParser, ParseBudgetSpent, PARSE_ERROR_BUDGET } from './parser.js';
import { LineMap } from './positions.js';
import { capSyntaxErrors, MAX_SYNTAX_ERRORS } from './syntax-cap.js';
import { limitNesting, MAX_NESTING, type NestingCut } from './nesting.js';
import { lexDiagnostics, parseDiagnostics, unterminatedDiagnostics } from './syntax-errors.js';
import { scanTape } from './scanner.js';
import type { TokenTape } from './token-tape.js';
import { BlockComment, UnterminatedBlockComment } from './tokens.js';

export interface ParseResult {
  cst: FileCstNode;
  /** The tokens parsed (those cut out by the nesting limit left out). */
  tape: TokenTape;
  comments: IToken[];
  lexErrors: ILexingError[];
  parseErrors: IRecognitionException[];
  /** Places nested past MAX_NESTING, left out of the parse (grammar/nesting.ts). */
  nestingCuts: NestingCut[];
  /** Where the parser stopped reading after PARSE_ERROR_BUDGET errors (a token), if it did. */
  stoppedAt?: IToken;
}

/** Lex and parse; the CST is always present (possibly partial). */
export function parse(text: string): ParseResult {
  const scanned = scanTape(text);
  const limited = limitNesting(scanned.tape);
  aeParser.read(limited.tape);
  // Chevrotain's recognition errors are Errors, and capturing each one's stack trace was most of
  // the time a file full of syntax errors took; nobody reads those traces.
  const traceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  aeParser.completedDeclarations = [];
  aeParser.savedErrors = 0;
  let cst: FileCstNode;
  let stoppedAt: IToken | undefined;
  let parseErrors: IRecognitionException[];
  try {
    cst = aeParser.file() as FileCstNode;
  } catch (error) {
    // The error budget was spent (grammar/parser.ts): the tree is the declarations completed so
    // far, and the stop is reported instead of the rest (grammar/syntax-cap.ts).
    if (!(error instanceof ParseBudgetSpent)) throw error;
    stoppedAt = error.token;
    cst = { name: 'file', children: { declaration: aeParser.completedDeclarations } } as FileCstNode;
  } finally {
    Error.stackTraceLimit = traceLimit;
    aeParser.completedDeclarations = [];
    // The errors are copied before the parser lets go of the tokens (which empties them too).
    parseErrors = [...aeParser.errors];
    aeParser.read();
  }
  return {
    cst,
    tape: limited.tape,
    nestingCuts: limited.cuts,
    comments: scanned.comments,
    lexErrors: scanned.errors,
    parseErrors,
    ...(stoppedAt ? { stoppedAt } : {}),
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
    aeParser.layerSink = (node) => builder.buildLayer(node as LayerCstNode);
    aeParser.plainLayerSink = (tokens, from, to) => builder.buildPlainLayer(tokens, from, to);
    aeParser.plainMemberSink = (tokens, from, to) => builder.buildPlainMember(tokens, from, to);
    aeParser.plainModelSink = (tokens, from, to, memberEnds) => builder.buildPlainModel(tokens, from, to, memberEnds);
    aeParser.plainBlockSink = (tokens, from, to) => builder.buildPlainBlock(tokens, from, to);
    aeParser.plainLetSink = (tokens, from, to) => builder.buildPlainLet(tokens, from, to);
    let parsed: ParseResult;
    try {
      parsed = parse(text);
    } finally {
      aeParser.declarationSink = undefined;
      aeParser.layerSink = undefined;
      aeParser.plainLayerSink = undefined;
      aeParser.plainMemberSink = undefined;
      aeParser.plainModelSink = undefined;
      aeParser.plainBlockSink = undefined;
      aeParser.plainLetSink = undefined;
    }
    const comments = parsed.comments.map((c) => commentNode(c, lines));
    const built = builder.finish(parsed.cst, comments);
    const cut = (d: Diagnostic): boolean => parsed.nestingCuts.some((c) => d.range.start.offset >= c.keptFrom && d.range.start.offset <= c.resumedAt);
    // Lex errors are in source order: past the first MAX_SYNTAX_ERRORS none can be shown, so a
    // megabyte of stray characters is counted, not made into half a million diagnostics.
    const lexShown = parsed.lexErrors.slice(0, MAX_SYNTAX_ERRORS);
    const unmadeLex = parsed.lexErrors[MAX_SYNTAX_ERRORS];
    const diagnostics = [
      ...lexDiagnostics(lexShown, lines),
      ...unterminatedDiagnostics(parsed.tape, parsed.comments, lines),
      ...[...parseDiagnostics(parsed.parseErrors, parsed.tape, lines, parsed.lexErrors), ...built.diagnostics].filter((d) => !cut(d)),
      ...nestingDiagnostics(parsed.nestingCuts, lines),
    ];
    const capped = capSyntaxErrors(
      {
        sorted: sortDiagnostics(diagnostics),
        unmade: { count: parsed.lexErrors.length - lexShown.length, firstOffset: unmadeLex?.offset ?? 0 },
        ...(parsed.stoppedAt ? { stopped: { offset: parsed.stoppedAt.startOffset, errors: PARSE_ERROR_BUDGET } } : {}),
      },
      lines,
    );
    return { ast: built.ast, diagnostics: capped };
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
