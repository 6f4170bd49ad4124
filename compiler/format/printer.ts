// The `aelang-ast` printer: a dispatch map from node kind to the area printer that knows it, plus the
// hooks through which Prettier attaches and prints comments.
import type { AstPath, Doc, ParserOptions, Printer } from 'prettier';
import { util } from 'prettier';
import type { AstNode } from '../../grammar/ast.js';
import { handleComments } from './handle-comments.js';
import { canAttachComment, isBlockComment, printComment } from './print-comments.js';
import { declarationPrinters } from './print-declarations.js';
import { expressionPrinters } from './print-expressions.js';
import { layerPrinters } from './print-layers.js';
import { memberPrinters } from './print-members.js';
import type { NodePrinter, PrintChild, PrinterTable } from './print-types.js';
import { getVisitorKeys } from './visitor-keys.js';

const printersByKind: PrinterTable<Exclude<AstNode['kind'], 'Comment'>> = {
  ...declarationPrinters,
  ...memberPrinters,
  ...layerPrinters,
  ...expressionPrinters,
};

function printNode(path: AstPath<AstNode>, options: ParserOptions<AstNode>, print: PrintChild): Doc {
  const node = path.node;
  if (node.kind === 'Comment') throw new Error('comments are printed through printComment');
  const printKind = printersByKind[node.kind] as NodePrinter<AstNode> | undefined;
  if (!printKind) throw new Error(`aelang printer: no printer for node kind '${(node as { kind: string }).kind}'`);
  return printKind(path, options, printLeavesDirectly(path, options, print));
}

/**
 * `print` that returns a name or literal child's text itself when nothing is attached to it (no
 * comment, not the cursor): the doc Prettier would build for it is that text, and going through
 * Prettier's print (path bookkeeping, the doc cache, comment printing) for each of them was a fifth
 * of the printing time of a 1 MB file. `path` is Prettier's one mutable path, so inside `path.map`
 * (where print is called with the path itself) `path.node` is the child.
 */
function printLeavesDirectly(path: AstPath<AstNode>, options: ParserOptions<AstNode>, print: PrintChild): PrintChild {
  return (selector) => {
    const child = typeof selector === 'string' ? (path.node as unknown as Record<string, unknown>)[selector] : selector === (path as unknown) ? path.node : undefined;
    const text = leafText(child, options.cursorNode) ?? layerLineText(child, path, options);
    return text ?? print(selector);
  };
}

/**
 * The text of a layer written on a line of its own (`dense(64, act = relu)`, no `as`) when Prettier
 * would print it flat: a call whose arguments are names and literals (`name = value` or bare),
 * nothing in it carrying a comment or the cursor, and short enough that it fits the print width
 * however deep it is indented. The indentation is bounded by the path: each indented body is at least
 * one node above the layer, so `tabWidth` columns per ancestor is at least the real indentation.
 * Prettier's print of each such call (its group, the argument list's indent, the fit measuring) was
 * most of the time `ae fmt` took on a file of many layers; as text, the body prints through the fixed
 * fast path (layout.ts).
 */
function layerLineText(node: unknown, path: AstPath<AstNode>, options: ParserOptions<AstNode>): string | undefined {
  if (!node || typeof node !== 'object' || (node as AstNode).kind !== 'LayerCall') return undefined;
  const layer = node as Extract<AstNode, { kind: 'LayerCall' }>;
  const cursor = options.cursorNode;
  if (layer.alias || layer === cursor || commented(layer)) return undefined;
  const call = layer.call;
  if (call === cursor || commented(call) || !call.hasParens || call.callee.kind !== 'NameRef') return undefined;
  const callee = leafText(call.callee, cursor);
  if (callee === undefined) return undefined;
  const args: string[] = [];
  for (const argument of call.args) {
    if (argument === cursor || commented(argument)) return undefined;
    const value = leafText(argument.value, cursor);
    if (value === undefined) return undefined;
    if (argument.name === undefined) {
      args.push(value);
      continue;
    }
    const name = leafText(argument.name, cursor);
    if (name === undefined) return undefined;
    args.push(`${name} = ${value}`);
  }
  const text = `${callee}(${args.join(', ')})`;
  let ancestors = 0;
  for (const entry of path.stack) if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) ancestors++;
  const indentation = ancestors * options.tabWidth;
  return indentation + util.getStringWidth(text) <= options.printWidth ? text : undefined;
}

const commented = (node: object): boolean => ((node as { comments?: unknown[] }).comments?.length ?? 0) > 0;

/** The text of a name, a literal, or a call of a name with no arguments (`b1()`, `flatten`, also as
 *  a layer without `as`), when neither it nor any part of it carries a comment or the cursor. */
function leafText(node: unknown, cursor: unknown): string | undefined {
  if (!node || typeof node !== 'object' || node === cursor || (node as { comments?: unknown[] }).comments?.length) return undefined;
  const leaf = node as AstNode;
  switch (leaf.kind) {
    case 'LayerCall':
      return leaf.alias ? undefined : leafText(leaf.call, cursor);
    case 'Call': {
      if (leaf.args.length > 0 || leaf.callee.kind !== 'NameRef') return undefined;
      const callee = leafText(leaf.callee, cursor);
      return callee === undefined ? undefined : leaf.hasParens ? `${callee}()` : callee;
    }
    case 'Identifier':
    case 'NameRef':
      return leaf.name;
    case 'NumberLiteral':
    case 'StringLiteral':
      return leaf.raw;
    case 'BooleanLiteral':
      return leaf.value ? 'true' : 'false';
    default:
      return undefined;
  }
}

export const aelangPrinter: Printer<AstNode> = {
  print: printNode,
  printComment,
  canAttachComment,
  isBlockComment,
  getVisitorKeys,
  handleComments,
};
