// The `aelang-ast` printer: a dispatch map from node kind to the area printer that knows it, plus the
// hooks through which Prettier attaches and prints comments.
import type { AstPath, Doc, ParserOptions, Printer } from 'prettier';
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
  return printKind(path, options, print);
}

export const aelangPrinter: Printer<AstNode> = {
  print: printNode,
  printComment,
  canAttachComment,
  isBlockComment,
  getVisitorKeys,
  handleComments,
};
