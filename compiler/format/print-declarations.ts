// Top level: imports, lets, blocks and models. Blocks and models always stand apart with one blank
// line; between imports and lets the user's blank lines are kept (at most one).
import { builders } from './prettier-standalone.js';
import type { AstNode, Declaration } from '../../grammar/ast.js';
import { endingTheFile, fixedLines, joinTopLevelLines, printBody, printDelimitedList, printEach, wholeLineIfFlat } from './layout.js';
import { hasComments, printDanglingComments } from './print-comments.js';
import type { PrinterTable } from './print-types.js';

const { hardline } = builders;

type DeclarationKind = Declaration['kind'] | 'SourceFile' | 'BlockParameter';

export const declarationPrinters: PrinterTable<DeclarationKind> = {
  SourceFile: (path, options, print) => {
    const dangling = printDanglingComments(path, options);
    // Each declaration starts a line at column 0; one that leaves Prettier nothing to decide is its
    // text, made as soon as it is printed: its doc (arrays and strings for each part and line) is then
    // garbage while still young, not kept with those of 50,000 other blocks until the last is printed,
    // to be copied by each young-generation GC and then promoted.
    const docs = printEach(path, print, 'declarations', options, (doc) => fixedLines(doc, options) ?? doc);
    const declarations = joinTopLevelLines(path.node.declarations, docs, options, standsApart);
    if (dangling === '' && path.node.declarations.length === 0) return '';
    const separator = dangling !== '' && path.node.declarations.length > 0 ? [hardline, hardline] : '';
    return [dangling, separator, ...endingTheFile(declarations)];
  },
  ImportDeclaration: (path, _options, print) => ['import ', print('path'), path.node.alias ? [' as ', print('alias')] : ''],
  LetDeclaration: (path, options, print) => {
    const prefix = ['let ', print('name'), ' = '];
    const value = print('value');
    // A let starts its line at column 0; with no comment of its own around it, a line that fits is
    // printed as one string (layout.ts, wholeLineIfFlat).
    const line = hasComments(path.node) ? undefined : wholeLineIfFlat(prefix, value, options);
    return line ?? [prefix, value];
  },
  BlockDeclaration: (path, options, print) => [
    'block ',
    print('name'),
    printDelimitedList('(', path.map(print, 'parameters'), ')', printDanglingComments(path, options, 'parameters')),
    ' ',
    printBody(path, options, print, 'layers'),
  ],
  BlockParameter: (path, _options, print) => (path.node.default ? [print('name'), ' = ', print('default')] : print('name')),
  ModelDeclaration: (path, options, print) => [
    'model ',
    print('name'),
    ' ',
    printBody(path, options, print, 'members'),
  ],
};

function standsApart(before: AstNode, after: AstNode): boolean {
  return isBodyDeclaration(before) || isBodyDeclaration(after);
}

function isBodyDeclaration(node: AstNode): boolean {
  return node.kind === 'BlockDeclaration' || node.kind === 'ModelDeclaration';
}
