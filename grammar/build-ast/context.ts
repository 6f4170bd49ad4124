// The state of building one file's AST (its line map, diagnostics, declarations built ahead) and the range helpers every builder uses.
import type { CstNode, IToken } from 'chevrotain';
import type * as ast from '../ast.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../../diagnostics/codes/index.js';
import type { LineMap } from '../positions.js';
import type { TokenTape } from '../token-tape.js';
import { cstSpan, isRealToken, tokenSpan } from '../syntax-helpers.js';

/** Offsets [start, end) into the file's text. */
export type Span = { start: number; end: number };

/**
 * `items` in an array exactly as long (a copy). V8 grows an array made by `push` from [] to 17 slots
 * at the first push, and the tree keeps its arrays as long as the file is checked: the plain
 * builders' arguments, list items, members and layers of a megabyte of small models were 33,000
 * arrays holding 5 MB of empty slots (of a 33 MB tree), which a fresh process's collector copied.
 */
export function exactly<T>(items: T[]): T[] {
  return items.slice();
}

/** Passed as `b` to every builder function in this folder; one per file being built. */
export class BuildContext {
  readonly diagnostics: Diagnostic[] = [];
  /** Trees of the declarations built ahead, as the parser finished each (see `AstBuilder.buildDeclaration`). */
  readonly prebuilt = new Map<CstNode, ast.Declaration | undefined>();

  constructor(readonly lines: LineMap) {}

  range(span: Span): ast.SourceRange {
    return this.lines.range(span.start, span.end);
  }

  /** The range of offsets [start, end), with no span object between (the plain builders' way). */
  between(start: number, end: number): ast.SourceRange {
    return this.lines.range(start, end);
  }

  /** The range of the token at `index` of a tape (the plain builders'). */
  tokenAt(tape: TokenTape, index: number): ast.SourceRange {
    return this.lines.range(tape.start(index), tape.end(index));
  }

  /** The range of a real token. */
  tokenRange(token: IToken): ast.SourceRange {
    return this.lines.range(token.startOffset, token.startOffset + token.image.length);
  }

  report(code: DiagnosticCode, message: string, span: Span, options: Parameters<typeof diagnostic>[3] = {}): void {
    this.diagnostics.push(diagnostic(code, message, this.range(span), options));
  }

  /** The span of a node, from its CST location, else from what was built of it, else empty at `fallback`. */
  spanOf(node: CstNode | undefined, fallback: number, ...parts: Array<{ range: ast.SourceRange } | undefined>): Span {
    const located = cstSpan(node);
    if (located) return located;
    let firstPart: { range: ast.SourceRange } | undefined;
    let lastPart: { range: ast.SourceRange } | undefined;
    for (const part of parts) {
      if (part === undefined) continue;
      firstPart ??= part;
      lastPart = part;
    }
    if (firstPart && lastPart) return { start: firstPart.range.start.offset, end: lastPart.range.end.offset };
    return { start: fallback, end: fallback };
  }

  /** Where a missing piece would go: just after the last real token before it. */
  after(...tokens: Array<IToken | undefined>): number {
    let end = 0;
    for (const token of tokens) if (isRealToken(token)) end = Math.max(end, tokenSpan(token).end);
    return end;
  }

  identifierFromToken(token: IToken | undefined, fallback: number): ast.Identifier {
    if (!isRealToken(token)) return { kind: 'Identifier', name: '', range: this.range({ start: fallback, end: fallback }), recovered: true };
    return { kind: 'Identifier', name: token.image, range: this.range(tokenSpan(token)) };
  }

  missingExpression(at: number): ast.MissingExpression {
    return { kind: 'MissingExpression', recovered: true, range: this.range({ start: at, end: at }) };
  }

  /** `built`, marked `recovered` when error recovery made its CST node. The key is assigned after
   *  the literal, where it stays last as a spread of `recoveredFlag` put it; an object spread after
   *  a literal's first key is a call into V8's runtime, and every node of a megabyte made one. */
  flagged<T>(node: CstNode | undefined, built: T): T {
    if (node?.recoveredNode) (built as { recovered?: boolean }).recovered = true;
    return built;
  }

  recoveredFlag(node: CstNode | undefined): { recovered?: true } {
    return node?.recoveredNode ? { recovered: true } : {};
  }
}
