// Corrections to Prettier's comment attachment, so that a comment never moves again on a second
// run. Prettier attaches a comment to the nearest node before or after it; that is right inside
// lists and bodies, where items start their own lines, but wrong in three places:
// - after an opening bracket (`model m { // note`, `dense( // note`): the nearest node before is the
//   header (`m`, `dense`), which would carry the comment back out. It belongs to the first item
//   inside, or, when there is none, to the bracketed node itself (dangling).
// - in a header before the opening bracket (`head h // note` + newline + `on z {`): an own-line
//   comment moves above the whole construct, an end-of-line one into the body.
// - inside a one-line construct (`output x_hat = // note` + newline + `sigmoid`): the comment
//   moves above the line.
import { util } from './prettier-standalone.js';
import type { AstNode, SourceFile } from '../../grammar/ast.js';
import { locEnd, locStart, type AttachedComment } from './print-comments.js';
import { getVisitorKeys } from './visitor-keys.js';

type Placement = 'ownLine' | 'endOfLine' | 'remaining';

/** Nodes whose contents follow an opening bracket after a header; the value lists those contents. */
const bracketed: Partial<Record<AstNode['kind'], { open: string; contents: (node: never) => AstNode[] }>> = {
  ModelDeclaration: { open: '{', contents: (n: { members: AstNode[] }) => n.members },
  BlockDeclaration: { open: '{', contents: (n: { layers: AstNode[] }) => n.layers },
  HeadMember: { open: '{', contents: (n: { layers: AstNode[] }) => n.layers },
  RepeatLayers: { open: '{', contents: (n: { layers: AstNode[] }) => n.layers },
  EncoderMember: { open: '{', contents: (n: { layers: AstNode[] }) => n.layers },
  TrainMember: { open: '{', contents: (n: { settings: AstNode[]; loss?: AstNode }) => trainContents(n) },
  Call: { open: '(', contents: (n: { args: AstNode[] }) => n.args },
  MirrorSpec: { open: '(', contents: (n: { source: AstNode; args: AstNode[] }) => [n.source, ...n.args] },
  LabelType: { open: '(', contents: (n: { classes: AstNode }) => [n.classes] },
};

/** Containers whose children are separated by line breaks (when broken): Prettier's choice stands. */
const listLike = new Set<AstNode['kind']>(['SourceFile', 'ListExpression', 'TensorType', 'TableType', 'BinaryExpression']);

/** Nodes that begin a line of their own (or of a broken list): where a displaced comment lands. */
const lineItems = new Set<AstNode['kind']>([
  'ImportDeclaration', 'LetDeclaration', 'BlockDeclaration', 'ModelDeclaration',
  'InputMember', 'CorruptMember', 'EncoderMember', 'DecoderMember', 'LatentMember', 'OutputMember',
  'HeadMember', 'LossMember', 'TrainMember', 'TrainSetting', 'LayerCall', 'RepeatLayers',
  'Argument', 'BlockParameter',
]);

function handle(placement: Placement, comment: AttachedComment, text: string, ast: SourceFile): boolean {
  // Only one line comment can end a line: a second one after the same node goes on a line of its own.
  if (placement === 'endOfLine' && comment.precedingNode && hasTrailingLineComment(comment.precedingNode)) {
    return handleAsOwnLine(comment, text, ast);
  }
  const enclosing = comment.enclosingNode;
  if (!enclosing) return false;
  if (enclosing.kind === 'BlockDeclaration') return handleBlockDeclaration(placement, comment, text, ast);
  const shape = enclosing.kind === 'DecoderMember' && enclosing.layers
    ? { open: '{', contents: () => enclosing.layers! }
    : bracketed[enclosing.kind];
  if (shape) {
    const opener = findTopLevel(text, locStart(enclosing), locStart(comment), shape.open);
    if (opener >= 0) {
      // Inside the brackets: only a comment right after the opener needs help.
      if (comment.precedingNode && locEnd(comment.precedingNode) <= opener) {
        return attachInside(comment, enclosing, shape.contents(enclosing as never));
      }
      return false;
    }
    return handleHeader(placement, comment, enclosing, shape.contents(enclosing as never), ast);
  }
  if (enclosing.kind === 'TensorType') return handleTensorType(placement, comment, text, ast);
  if (listLike.has(enclosing.kind)) return false;
  // `corrupt x with a // note` + newline + `then b`: the chain breaks before each `then`, so a
  // comment ending the line after a call stays there.
  if (enclosing.kind === 'CorruptMember' && placement === 'endOfLine' && comment.precedingNode?.kind === 'Call') return false;
  return handleInline(placement, comment, enclosing, ast);
}

/** Prettier's own-line placement, with the corrections above. */
function handleAsOwnLine(comment: AttachedComment, text: string, ast: SourceFile): boolean {
  if (handle('ownLine', comment, text, ast)) return true;
  if (comment.followingNode) return util.addLeadingComment(comment.followingNode, comment);
  if (comment.precedingNode) return util.addTrailingComment(comment.precedingNode, comment);
  return util.addDanglingComment(comment.enclosingNode ?? ast, comment, undefined);
}

function hasTrailingLineComment(node: AstNode): boolean {
  return Boolean((node as { comments?: AttachedComment[] }).comments?.some((c) => c.trailing && !c.block));
}

/** `block name(params) { layers }`: the parameter list is a list, the header is around it. */
function handleBlockDeclaration(placement: Placement, comment: AttachedComment, text: string, ast: SourceFile): boolean {
  const block = comment.enclosingNode as Extract<AstNode, { kind: 'BlockDeclaration' }>;
  const start = locStart(block);
  const at = locStart(comment);
  const brace = findTopLevel(text, start, at, '{');
  if (brace >= 0) {
    if (comment.precedingNode && locEnd(comment.precedingNode) <= brace) return attachInside(comment, block, block.layers);
    return false;
  }
  const openParen = findTopLevel(text, start, at, '(');
  const closeParen = findTopLevel(text, start, at, ')');
  if (openParen >= 0 && closeParen < 0) {
    // Inside the parameter list.
    if (comment.precedingNode === block.name) {
      if (block.parameters.length > 0) return util.addLeadingComment(block.parameters[0], comment);
      return util.addDanglingComment(block, comment, 'parameters');
    }
    return false;
  }
  if (closeParen >= 0) {
    // Between `)` and `{`: nothing to attach to on that line but the body.
    if (placement === 'ownLine') return util.addLeadingComment(block, comment);
    return attachInside(comment, block, block.layers);
  }
  return handleHeader(placement, comment, block, block.layers, ast);
}

/** `[dims] in [low, high]`: two lists; a comment between them must not slide into either. */
function handleTensorType(placement: Placement, comment: AttachedComment, text: string, ast: SourceFile): boolean {
  const type = comment.enclosingNode as Extract<AstNode, { kind: 'TensorType' }>;
  const at = locStart(comment);
  const dimensionsEnd = findTopLevel(text, locStart(type), at, ']');
  if (dimensionsEnd < 0 || !type.valueRange) return false;
  const boundsStart = findTopLevel(text, dimensionsEnd + 1, at, '[');
  if (boundsStart >= 0) {
    if (comment.precedingNode && locEnd(comment.precedingNode) <= boundsStart) return util.addLeadingComment(type.valueRange.low, comment);
    return false;
  }
  if (placement === 'remaining') return util.addLeadingComment(type.valueRange.low, comment);
  return handleInline(placement, comment, type, ast);
}

/** A comment in a header, before the opening bracket. */
function handleHeader(placement: Placement, comment: AttachedComment, enclosing: AstNode, contents: AstNode[], ast: SourceFile): boolean {
  if (placement === 'ownLine') return util.addLeadingComment(nearestLineItem(enclosing, ast), comment);
  if (placement === 'endOfLine') return attachInside(comment, enclosing, contents);
  return false;
}

/** A comment inside a construct printed on one line. */
function handleInline(placement: Placement, comment: AttachedComment, enclosing: AstNode, ast: SourceFile): boolean {
  if (placement === 'ownLine') return util.addLeadingComment(nearestLineItem(enclosing, ast), comment);
  if (placement === 'endOfLine') return util.addLeadingComment(nearestLineItem(enclosing, ast), comment);
  return false;
}

function attachInside(comment: AttachedComment, enclosing: AstNode, contents: AstNode[]): boolean {
  const first = [...contents].sort((a, b) => locStart(a) - locStart(b))[0];
  if (first) return util.addLeadingComment(first, comment);
  return util.addDanglingComment(enclosing, comment, undefined);
}

function trainContents(node: { settings: AstNode[]; loss?: AstNode }): AstNode[] {
  return node.loss ? [...node.settings, node.loss] : node.settings;
}

/** The node itself if it starts a line, else its nearest ancestor that does. */
function nearestLineItem(node: AstNode, ast: SourceFile): AstNode {
  const chain = ancestry(ast, node);
  for (let i = chain.length - 1; i >= 0; i--) if (lineItems.has(chain[i]!.kind)) return chain[i]!;
  return node;
}

/** The nodes from the root down to `target`, found by source range. */
function ancestry(ast: SourceFile, target: AstNode): AstNode[] {
  const chain: AstNode[] = [];
  let current: unknown = ast;
  while (current && current !== target) {
    if ((current as AstNode).kind) chain.push(current as AstNode);
    current = childContaining(current, target);
  }
  if (current === target) chain.push(target);
  return chain;
}

function childContaining(node: unknown, target: AstNode): unknown {
  for (const key of getVisitorKeys(node)) {
    const value = (node as Record<string, unknown>)[key];
    for (const child of Array.isArray(value) ? value : [value]) {
      if (!child || typeof child !== 'object') continue;
      if (child === target) return child;
      const range = (child as AstNode).range;
      if (range && range.start.offset <= locStart(target) && locEnd(target) <= range.end.offset) return child;
    }
  }
  return undefined;
}

/** Offset of `bracket` in text[from, to) at nesting depth 0 (a closer: the one returning to depth 0),
 *  outside comments and strings; -1 if absent. */
function findTopLevel(text: string, from: number, to: number, bracket: string): number {
  let depth = 0;
  let i = from;
  while (i < to) {
    const c = text[i]!;
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? to : end;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? to : end + 2;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < to && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      if (depth === 0 && c === bracket) return i;
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0 && c === bracket) return i;
    }
    i++;
  }
  return -1;
}

type Handler = (comment: AttachedComment, text: string, options: unknown, ast: unknown) => boolean;

function handler(placement: Placement): Handler {
  return (comment, text, _options, ast) => handle(placement, comment, text, ast as SourceFile);
}

export const handleComments = {
  ownLine: handler('ownLine'),
  endOfLine: handler('endOfLine'),
  remaining: handler('remaining'),
};
