// The `aelang` parser for Prettier: the real `.ae` parser, with the first syntax error turned into
// the error shape Prettier reports with a code frame (`loc.start`). Formatting never guesses around
// broken input.
import type { Parser } from 'prettier';
import { parseSource } from '../../grammar/index.js';
import type { AstNode, SourceFile } from '../../grammar/ast.js';
import { locEnd, locStart } from './print-comments.js';

export const astFormat = 'aelang-ast';

/** A syntax error carrying the position Prettier prints (1-based line and column). */
export class AeSyntaxError extends SyntaxError {
  constructor(
    message: string,
    readonly loc: { start: { line: number; column: number }; end: { line: number; column: number } },
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}

/** A tree parsed by the caller (format.ts's `parsed`), for the next parse of exactly its text. */
let handedOver: { text: string; ast: SourceFile } | undefined;

export function handOver(text: string, ast: SourceFile): void {
  handedOver = { text, ast };
}

export function parseForFormatting(text: string): SourceFile {
  // Taken once: Prettier attaches comments to the tree, so a second format of the text parses again.
  const given = handedOver;
  handedOver = undefined;
  if (given && given.text === text) return given.ast;
  const { ast, diagnostics } = parseSource(text);
  const firstError = diagnostics.find((d) => d.severity === 'error');
  if (firstError) {
    const { start, end } = firstError.range;
    throw new AeSyntaxError(`${firstError.code}: ${firstError.message}`, {
      start: { line: start.line, column: start.column },
      end: { line: end.line, column: end.column },
    });
  }
  return ast;
}

export const aelangParser: Parser<AstNode> = {
  parse: (text) => parseForFormatting(text),
  astFormat,
  locStart,
  locEnd,
};
