// Layout shared by every area: lines with the user's blank lines kept (at most one), `{ }` bodies
// with one item per line, and bracketed comma lists that break the Prettier way when too long.
import type { AstPath, Doc, ParserOptions } from 'prettier';
import { util } from 'prettier';
import { builders } from 'prettier/doc';
import type { AstNode } from '../../grammar/ast.js';
import { locEnd, locStart, printDanglingComments } from './print-comments.js';
import type { PrintChild } from './print-types.js';

const { fill, group, hardline, indent, join, line, softline } = builders;

/** A printed child together with the node it came from, whose source position decides blank lines. */
export interface PrintedItem {
  node: AstNode;
  doc: Doc;
}

/** Prints each element of the array at `key` through Prettier, keeping the node beside its doc. */
export function printItems(path: AstPath, print: PrintChild, key: string): PrintedItem[] {
  return path.map((childPath) => ({ node: childPath.node as AstNode, doc: print() }), key);
}

/** Items sorted into source order (train settings and the phase loss are kept in two fields). */
export function inSourceOrder(items: PrintedItem[]): PrintedItem[] {
  return [...items].sort((a, b) => locStart(a.node) - locStart(b.node));
}

/** Whether the user left at least one empty line after `node`. */
export function hasBlankLineAfter(node: AstNode, options: ParserOptions): boolean {
  return util.isNextLineEmpty(options.originalText, locEnd(node));
}

/** One item per line; a single blank line where the user had one or more (or where `forceBlank` says). */
export function joinLines(
  items: PrintedItem[],
  options: ParserOptions,
  forceBlank: (before: AstNode, after: AstNode) => boolean = () => false,
): Doc[] {
  const parts: Doc[] = [];
  items.forEach((item, index) => {
    if (index > 0) {
      const before = items[index - 1]!.node;
      parts.push(hardline);
      if (forceBlank(before, item.node) || hasBlankLineAfter(before, options)) parts.push(hardline);
    }
    parts.push(item.doc);
  });
  return parts;
}

/** `{}` when empty; otherwise the items one per line, indented, with dangling comments kept. */
export function printBracedBody(path: AstPath, options: ParserOptions, items: PrintedItem[]): Doc {
  const dangling = printDanglingComments(path, options);
  if (items.length === 0 && dangling === '') return '{}';
  const content: Doc[] = [];
  if (dangling !== '') content.push(dangling);
  if (dangling !== '' && items.length > 0) content.push(hardline);
  content.push(joinLines(items, options));
  return ['{', indent([hardline, ...content]), hardline, '}'];
}

/** `(a, b)` / `[a, b]`: on one line when it fits, else one element per line, indented. */
export function printDelimitedList(open: string, elements: Doc[], close: string, dangling: Doc = ''): Doc {
  if (elements.length === 0) {
    if (dangling === '') return [open, close];
    return group([open, indent([softline, dangling]), softline, close]);
  }
  return group([open, indent([softline, join([',', line], elements)]), softline, close]);
}

/** A long list of numbers (`[1024, 512, ...]`) fills lines, as Prettier does, instead of one per line. */
export function printFilledList(open: string, elements: Doc[], close: string): Doc {
  const parts: Doc[] = [];
  elements.forEach((element, index) => {
    if (index > 0) parts.push([',', line]);
    parts.push(element);
  });
  return group([open, indent([softline, fill(parts)]), softline, close]);
}
