// Comments go through Prettier's own attachment: it decides which node each comment belongs to
// (leading, trailing or dangling) and prints leading/trailing ones around that node. What is left
// here is how one comment looks, the comments that sit inside empty brackets (dangling), and the
// few places where Prettier's default choice would move a comment across a bracket.
import type { AstPath, Doc, ParserOptions } from 'prettier';
import { builders, util, utils } from './prettier-standalone.js';
import type { AstNode, Comment } from '../../grammar/ast.js';

const { hardline, breakParent } = builders;

/** A comment after Prettier has attached it. */
export interface AttachedComment extends Comment {
  leading?: boolean;
  trailing?: boolean;
  printed?: boolean;
  marker?: string;
  enclosingNode?: AstNode;
  precedingNode?: AstNode;
  followingNode?: AstNode;
}

type WithComments = { comments?: AttachedComment[] };

export function locStart(node: { range: { start: { offset: number } } }): number {
  return node.range.start.offset;
}

export function locEnd(node: { range: { end: { offset: number } } }): number {
  return node.range.end.offset;
}

export function canAttachComment(node: unknown): boolean {
  const kind = (node as { kind?: string }).kind;
  return typeof kind === 'string' && kind !== 'Comment';
}

export function isBlockComment(comment: unknown): boolean {
  return (comment as Comment).kind === 'Comment' && (comment as Comment).block;
}

export function printComment(path: AstPath): Doc {
  const comment = path.node as Comment;
  // A multi-line block comment keeps its lines exactly as written (literal line breaks, no re-indent).
  if (comment.block) return utils.replaceEndOfLine(comment.text);
  return comment.text.trimEnd();
}

/** The dangling comments of the node at `path` (those with `marker`, if given), one per line. */
export function printDanglingComments(path: AstPath, options: ParserOptions, marker?: string): Doc {
  const node = path.node as WithComments;
  if (!node.comments?.some((c) => isDangling(c, marker))) return '';
  const parts: Doc[] = [];
  let previous: AttachedComment | undefined;
  path.each((commentPath) => {
    const comment = commentPath.node as AttachedComment;
    if (!isDangling(comment, marker)) return;
    if (previous) {
      parts.push(hardline);
      if (util.isNextLineEmpty(options.originalText, locEnd(previous))) parts.push(hardline);
    }
    comment.printed = true;
    parts.push(printComment(commentPath));
    previous = comment;
  }, 'comments');
  // A line comment runs to the end of its line, so whatever holds it must break after it.
  if (node.comments.some((c) => isDangling(c, marker) && !c.block)) parts.push(breakParent);
  return parts;
}

export function hasDanglingComments(node: unknown, marker?: string): boolean {
  return Boolean((node as WithComments).comments?.some((c) => isDangling(c, marker)));
}

export function hasComments(node: unknown): boolean {
  return Boolean((node as WithComments).comments?.length);
}

function isDangling(comment: AttachedComment, marker: string | undefined): boolean {
  return !comment.leading && !comment.trailing && comment.marker === marker;
}
