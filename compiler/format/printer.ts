// The `aelang-ast` printer: a dispatch map from node kind to the area printer that knows it, plus the
// hooks through which Prettier attaches and prints comments.
import type { AstPath, Doc, ParserOptions, Printer } from 'prettier';
import { util } from './prettier-standalone.js';
import type { AstNode } from '../../grammar/ast.js';
import { handleComments } from './handle-comments.js';
import { canAttachComment, isBlockComment, printComment } from './print-comments.js';
import { declarationPrinters } from './print-declarations.js';
import { expressionPrinters } from './print-expressions.js';
import { layerPrinters } from './print-layers.js';
import { memberPrinters } from './print-members.js';
import type { NodePrinter, PrintChild, PrinterTable } from './print-types.js';
import { getVisitorKeys } from './visitor-keys.js';
import { nodesOnPath } from './layout.js';

const printersByKind: PrinterTable<Exclude<AstNode['kind'], 'Comment'>> = {
  ...declarationPrinters,
  ...memberPrinters,
  ...layerPrinters,
  ...expressionPrinters,
};

function printNode(path: AstPath<AstNode>, options: ParserOptions<AstNode>, print: PrintChild): Doc {
  return printerOf(path.node)(path, options, childPrinter(path, options, print));
}

/** The `print` of printChildDirectly for Prettier's print of one format, made once: Prettier passes
 *  the same print, path and options to every node's printer in a format. */
const childPrinters = new WeakMap<PrintChild, PrintChild>();

function childPrinter(path: AstPath<AstNode>, options: ParserOptions<AstNode>, print: PrintChild): PrintChild {
  let child = childPrinters.get(print);
  if (!child) {
    child = printChildDirectly(path, options, print);
    child.textOf = itemText;
    childPrinters.set(print, child);
  }
  return child;
}

/** The text printChildDirectly gives a child `nodes` nodes deep on a line of its own, if any. */
function itemText(node: AstNode, nodes: number, options: ParserOptions<AstNode>): string | undefined {
  return leafText(node, options.cursorNode) ?? layerLineText(node, nodes, options);
}

function printerOf(node: AstNode): NodePrinter<AstNode> {
  if (node.kind === 'Comment') throw new Error('comments are printed through printComment');
  const printKind = printersByKind[node.kind] as NodePrinter<AstNode> | undefined;
  if (!printKind) throw new Error(`aelang printer: no printer for node kind '${(node as { kind: string }).kind}'`);
  return printKind;
}

/**
 * `print` for the children of the node at `path`. A name or literal child's text is returned itself
 * when nothing is attached to it, and a layer on a line of its own is its text (layerLineText).
 * Any other child with nothing attached (no comment, not next to the cursor) is printed by calling
 * its printer here, on the same path, instead of through Prettier's print: for such a node,
 * Prettier's print only looks the node up in its doc cache, finds no comment to print and no
 * cursor to mark, and calls the same printer; that bookkeeping, for each of the ~15 nodes of every
 * member, was a third of the printing time of a 1 MB file of small models. A child that carries a
 * comment or the cursor still goes through Prettier, which prints them. `path` is Prettier's one
 * mutable path: inside `path.map` (where print is called with the path itself) `path.node` is the
 * child, and `path.call` moves it to the child the selector names and back.
 */
function printChildDirectly(path: AstPath<AstNode>, options: ParserOptions<AstNode>, print: PrintChild): PrintChild {
  const printHere = (): Doc => printNode(path, options, print);
  // A single key (`print('name')`, most calls) is looked up without a list of keys or a callback
  // made for the call.
  return (selector) => {
    const key = typeof selector === 'string' || typeof selector === 'number' ? selector : undefined;
    let child: unknown;
    if (key !== undefined) child = (path.node as unknown as Record<string | number, unknown> | undefined)?.[key];
    else if (Array.isArray(selector)) {
      child = path.node;
      for (const part of selector) child = child == null ? undefined : (child as Record<string | number, unknown>)[part];
    } else child = selector === (path as unknown) ? path.node : undefined;
    const text = leafText(child, options.cursorNode) ?? (isLayerCall(child) ? layerLineText(child, nodesOnPath(path), options) : undefined);
    if (text !== undefined) return text;
    if (!printsAlone(child, options)) return print(selector);
    if (key !== undefined) return (path as AstPath).call(printHere, key as string);
    if (Array.isArray(selector)) return (path as AstPath).call(printHere, ...(selector as [string]));
    return printHere();
  };
}

/** Whether Prettier's print of `node` would be its printer's doc and nothing more: an AST node with
 *  no comment attached, not the cursor's node or a node beside it. */
function printsAlone(node: unknown, options: ParserOptions<AstNode>): node is AstNode {
  if (!node || typeof node !== 'object' || typeof (node as { kind?: unknown }).kind !== 'string' || commented(node)) return false;
  const cursor = options as unknown as { cursorNode?: unknown; nodeBeforeCursor?: unknown; nodeAfterCursor?: unknown };
  return node !== cursor.cursorNode && node !== cursor.nodeBeforeCursor && node !== cursor.nodeAfterCursor;
}

/**
 * The text of a layer written on a line of its own (`dense(64, act = relu)`, no `as`) when Prettier
 * would print it flat: a call whose arguments are names and literals (`name = value` or bare),
 * nothing in it carrying a comment or the cursor, and short enough that it fits the print width
 * however deep it is indented. The indentation is bounded by the path: each indented body is at least
 * one node above the layer, so `tabWidth` columns for each of the `nodes` nodes on the path to the
 * layer (itself included) are at least the real indentation.
 * Prettier's print of each such call (its group, the argument list's indent, the fit measuring) was
 * most of the time `ae fmt` took on a file of many layers; as text, the body prints through the fixed
 * fast path (layout.ts).
 */
function layerLineText(node: AstNode, nodes: number, options: ParserOptions<AstNode>): string | undefined {
  if (node.kind !== 'LayerCall') return undefined;
  const cursor = options.cursorNode;
  if (node.alias || node === cursor || commented(node)) return undefined;
  const call = node.call;
  if (call === cursor || commented(call) || !call.hasParens || call.callee.kind !== 'NameRef') return undefined;
  const callee = leafText(call.callee, cursor);
  if (callee === undefined) return undefined;
  // Built as one string, not a list joined: a string for each argument is one allocation fewer.
  let text = `${callee}(`;
  for (let index = 0; index < call.args.length; index++) {
    const argument = call.args[index]!;
    if (argument === cursor || commented(argument)) return undefined;
    const value = leafText(argument.value, cursor);
    if (value === undefined) return undefined;
    if (index > 0) text += ', ';
    if (argument.name !== undefined) {
      const name = leafText(argument.name, cursor);
      if (name === undefined) return undefined;
      text += `${name} = `;
    }
    text += value;
  }
  text += ')';
  return nodes * options.tabWidth + util.getStringWidth(text) <= options.printWidth ? text : undefined;
}

const isLayerCall = (node: unknown): node is AstNode => typeof node === 'object' && node !== null && (node as AstNode).kind === 'LayerCall';

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

/** The same printer with every child printed through Prettier's print: what the shortcuts above
 *  must print exactly (test/format/fast-paths.test.ts compares the two). */
export const generalPrinter: Printer<AstNode> = {
  ...aelangPrinter,
  print: (path, options, print) => printerOf(path.node)(path, options, print),
};
