// After attachment: a comment moved to the end of a line (see handle-comments.ts) prints after the
// comments that already sat on that line, and before those on lines of their own. Otherwise, in
// `let // moved` + newline + `depth = 2 /* here */`, the block comment would print on a line of its
// own after the moved one, and the next run would move it again.
import type { ParserOptions } from 'prettier';
import { util } from 'prettier';
import type { AstNode } from '../ast.js';
import { locStart, type AttachedComment } from './print-comments.js';
import { getVisitorKeys } from './visitor-keys.js';

export function orderTrailingComments(ast: AstNode, options: ParserOptions): AstNode {
  visit(ast, (node) => {
    const comments = (node as { comments?: AttachedComment[] }).comments;
    if (!comments?.some((c) => c.displaced)) return;
    const rank = (c: AttachedComment): number => {
      if (!c.trailing) return 0;
      if (c.displaced) return 2;
      return util.hasNewline(options.originalText, locStart(c), { backwards: true }) ? 3 : 1;
    };
    const ordered = comments.map((comment, index) => ({ comment, index }));
    ordered.sort((a, b) => rank(a.comment) - rank(b.comment) || a.index - b.index);
    comments.splice(0, comments.length, ...ordered.map((o) => o.comment));
  });
  return ast;
}

function visit(node: unknown, action: (node: AstNode) => void): void {
  if (!node || typeof node !== 'object') return;
  if ((node as AstNode).kind) action(node as AstNode);
  for (const key of getVisitorKeys(node)) {
    const value = (node as Record<string, unknown>)[key];
    if (Array.isArray(value)) value.forEach((child) => visit(child, action));
    else visit(value, action);
  }
}
