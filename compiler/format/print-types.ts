// The types every area printer shares: a path typed by the node it points at, and the callback that
// prints a child through Prettier (which wraps it with its attached comments).
import type { AstPath, Doc, ParserOptions } from 'prettier';
import type { AstNode } from '../../grammar/ast.js';

export interface PrintChild {
  (selector?: string | number | Array<string | number> | AstPath): Doc;
  /** The printer's shortcut (printer.ts): the text this print gives `node`, an item of a body that
   *  stands on a line of its own `nodes` nodes deep (itself included), when it is text it can tell
   *  without Prettier's path; else undefined. Prettier's own print has none. */
  textOf?: (node: AstNode, nodes: number, options: ParserOptions<AstNode>) => string | undefined;
}

export type NodePrinter<N extends AstNode> = (
  path: AstPath<N>,
  options: ParserOptions<AstNode>,
  print: PrintChild,
) => Doc;

type Kind = AstNode['kind'];
export type NodeOfKind<K extends Kind> = Extract<AstNode, { kind: K }>;

/** One printer per node kind, so a new kind without a printer is a type error. */
export type PrinterTable<K extends Kind> = { [P in K]: NodePrinter<NodeOfKind<P>> };
