// Layout shared by every area: lines with the user's blank lines kept (at most one), `{ }` bodies
// with one item per line, and bracketed comma lists that break the Prettier way when too long.
import type { AstPath, Doc, ParserOptions } from 'prettier';
import { builders, util } from './prettier-standalone.js';
import type { AstNode } from '../../grammar/ast.js';
import { locEnd, locStart, printDanglingComments } from './print-comments.js';
import type { PrintChild } from './print-types.js';

const { breakParent, fill, group, hardline, hardlineWithoutBreakParent, indent, join, line, softline } = builders;

/** A printed child together with the node it came from, whose source position decides blank lines. */
export interface PrintedItem {
  node: AstNode;
  doc: Doc;
}

/** Prints each element of the array at `key` through Prettier, keeping the node beside its doc. Each
 *  element stands on a line of its own (after a hard line, before the next), so one that fits flat
 *  becomes its text (`lineIfFlat`). */
export function printItems(path: AstPath, print: PrintChild, key: string, options: ParserOptions): PrintedItem[] {
  const nodes = (path.node as Record<string, AstNode[]>)[key]!;
  return printEach(path, print, key, options).map((doc, index) => ({ node: nodes[index]!, doc }));
}

/**
 * The docs of `printItems`, in the order of the nodes at `key`, each passed through `finish` when it
 * is given (as soon as it is printed). An element the printer's shortcut
 * (`print.textOf`, printer.ts) prints as its text is that text, found without moving Prettier's path
 * to it: for a body of 100,000 plain layers, the path's moves and the callback and the print for
 * each (and a node-and-doc pair for each, kept until the body is printed) were most of its printing.
 */
export function printEach(path: AstPath, print: PrintChild, key: string, options: ParserOptions, finish?: (doc: Doc) => Doc): Doc[] {
  const nodes = (path.node as Record<string, AstNode[]>)[key]!;
  const { textOf } = print;
  // The path to an element holds the nodes of the path here and the element.
  const depth = textOf ? nodesOnPath(path) + 1 : 0;
  const printElement = (childPath: AstPath): Doc => {
    // `print(childPath)` is `print()` to Prettier (its one path is the child's here), but it tells the
    // printer's shortcuts (printer.ts) which node is printed.
    const doc = print(childPath);
    return typeof doc === 'string' ? doc : (lineIfFlat(doc, childPath, options) ?? doc);
  };
  const docs: Doc[] = [];
  for (let index = 0; index < nodes.length; index++) {
    const doc = textOf?.(nodes[index]!, depth, options) ?? path.call(printElement, key, index);
    docs.push(finish ? finish(doc) : doc);
  }
  return docs;
}

/**
 * The text of `doc`, printed on a line of its own at the indentation of `path`, when Prettier would
 * print all of it flat: it holds nothing flat mode does not decide alone (flatText) and fits the
 * print width at any indentation the path allows. After a hard line, Prettier measures a group
 * against the rest of its line only, and here that rest is the item's own text (the next item
 * begins on a new line), so every group fits exactly when the whole line does. As text, the item
 * skips Prettier's group, fit measuring and indentation work; on a file of 6,557 small models, whose
 * members each print on one line, that was most of the printing. Undefined when it may not fit.
 */
export function lineIfFlat(doc: Doc, path: AstPath, options: ParserOptions): string | undefined {
  const text = flatText(doc);
  if (text === undefined || text.includes('\n')) return undefined;
  return indentationBound(path, options) + util.getStringWidth(text) <= options.printWidth ? text : undefined;
}

/**
 * The text Prettier prints for `doc` from the start of a line at indentation 0 (a top-level
 * declaration), when the doc leaves Prettier nothing to decide: only text, hard lines, break-parents
 * and indents; undefined when it holds anything else (a group, a soft line, a line suffix, a
 * literal line, the cursor). It prints as Prettier's printer does in break mode: each hard line
 * trims the spaces and tabs ending the line before it and starts the next at the indentation; the
 * last line is left as it is, for Prettier's next hard line to trim. The text goes back to Prettier
 * as one string, which it writes as it stands (with its line ends as `endOfLine` asks): nothing follows
 * a declaration on its last line but its own comments, so the column Prettier then counts from is
 * never used to decide a break. A 1 MB file of 43,000 blocks spent half its printing in Prettier's
 * commands for each line, indent and break-parent of such bodies.
 */
export function fixedLines(doc: Doc, options: ParserOptions): string | undefined {
  const unit = options.useTabs ? '\t' : ' '.repeat(options.tabWidth);
  const lines: string[] = [];
  let line = '';
  const print = (part: Doc, indentation: string): boolean => {
    if (typeof part === 'string') {
      // Prettier writes a string as it stands, line ends within it included (a fixed body's lines).
      line += part;
      return true;
    }
    if (Array.isArray(part)) {
      for (const inner of part) if (!print(inner, indentation)) return false;
      return true;
    }
    switch (part.type) {
      case 'break-parent':
        return true;
      case 'indent':
        return print(part.contents, indentation + unit);
      case 'line':
        if (!part.hard || part.literal) return false;
        lines.push(trimLineEnd(line));
        line = indentation;
        return true;
      default:
        return false;
    }
  };
  if (!print(doc, '')) return undefined;
  lines.push(line);
  return lines.join('\n');
}

/** Without the spaces and tabs that end it, as Prettier trims a line when it breaks. */
function trimLineEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  return end === line.length ? line : line.slice(0, end);
}

/** At least the indentation of the node at `path`: each indented body is the body of a node above
 *  it, so `tabWidth` columns for every node on the path (itself included) are enough. */
export function indentationBound(path: AstPath, options: ParserOptions): number {
  return nodesOnPath(path) * options.tabWidth;
}

/** How many nodes the path from the root to the node at `path` holds (the arrays, keys and indexes
 *  between them not counted). */
export function nodesOnPath(path: AstPath): number {
  let nodes = 0;
  for (const entry of path.stack) if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) nodes++;
  return nodes;
}

/** Items sorted into source order (train settings and the phase loss are kept in two fields). */
export function inSourceOrder(items: PrintedItem[]): PrintedItem[] {
  return [...items].sort((a, b) => locStart(a.node) - locStart(b.node));
}

/** Whether the user left at least one empty line after `node`. */
export function hasBlankLineAfter(node: AstNode, options: ParserOptions): boolean {
  return isNextLineEmpty(options.originalText, locEnd(node));
}

/**
 * Prettier's `util.isNextLineEmpty(text, index)`, answered here unless a comment or a line end other
 * than `\n` follows the node (after spaces, tabs, commas or semicolons, which it skips): when the node
 * ends its line, the next line is empty when it holds only spaces and tabs; when more follows on its
 * line, it is not. Prettier skips comments and the like first, with a helper call for each kind of
 * text it skips, which was ~20 ms of printing 100,000 layers.
 */
export function isNextLineEmpty(text: string, index: number): boolean {
  let at = index;
  for (let c = text.charCodeAt(at); c === 32 || c === 9 || c === 44 || c === 59; c = text.charCodeAt(++at));
  const end = text.charCodeAt(at);
  if (end !== 10) return end === 47 || end === 13 || end === 0x2028 || end === 0x2029 || Number.isNaN(end) ? util.isNextLineEmpty(text, index) : false;
  at++;
  for (let c = text.charCodeAt(at); c === 32 || c === 9; c = text.charCodeAt(++at));
  const c = text.charCodeAt(at);
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** One item per line; a single blank line where the user had one or more. */
function joinLines(nodes: readonly AstNode[], docs: readonly Doc[], options: ParserOptions): Doc[] {
  const parts: Doc[] = [];
  for (let index = 0; index < docs.length; index++) {
    if (index > 0) {
      parts.push(hardline);
      if (hasBlankLineAfter(nodes[index - 1]!, options)) parts.push(hardline);
    }
    parts.push(docs[index]!);
  }
  return parts;
}

/**
 * `joinLines` for items that each start a line at column 0 (top-level declarations): a run of items
 * printed as text is one string, its lines joined as Prettier's hard lines join them (the line
 * before each break trimmed of its trailing spaces and tabs, a blank line empty). Prettier then
 * prints one part for the run instead of three an item: on a 1 MB file of blocks, models or lets,
 * its printer's commands for those were most of what printing the tree cost.
 */
export function joinTopLevelLines(
  nodes: readonly AstNode[],
  docs: readonly Doc[],
  options: ParserOptions,
  forceBlank: (before: AstNode, after: AstNode) => boolean,
): Doc[] {
  const parts: Doc[] = [];
  let run: string[] = [];
  const flush = (): void => {
    if (run.length > 0) parts.push(run.join(''));
    run = [];
  };
  for (let index = 0; index < docs.length; index++) {
    const doc = docs[index]!;
    if (index > 0) {
      const before = nodes[index - 1]!;
      const blank = forceBlank(before, nodes[index]!) || hasBlankLineAfter(before, options);
      if (run.length > 0 && typeof doc === 'string') {
        run[run.length - 1] = trimLineEnd(run[run.length - 1]!);
        run.push(blank ? '\n\n' : '\n');
      } else {
        flush();
        parts.push(hardline);
        if (blank) parts.push(hardline);
      }
    }
    if (typeof doc === 'string') run.push(doc);
    else parts.push(doc);
  }
  flush();
  return parts;
}

/**
 * `parts` and the hard line that ends the file. When the last part is text (the last run of
 * `joinTopLevelLines`), the line end is written into it instead, its last line trimmed as the hard
 * line would trim it: Prettier measures the width of every string it prints but the last, for the
 * column that follows it, and that run is most of a large file (25 to 65 ms to measure 1 MB). Nothing
 * waits to print at the end of the line (a trailing `//` comment is a line suffix, never in a run).
 */
export function endingTheFile(parts: Doc[]): Doc[] {
  const last = parts[parts.length - 1];
  const text = typeof last === 'string' ? trimLineEnd(last) : '';
  if (text === '') return [...parts, hardline];
  return [...parts.slice(0, -1), `${text}\n`];
}

/** The text of a doc made only of strings (no line, group, indent or comment part), else undefined:
 *  such a doc prints the same wherever it stands. */
export function fixedText(doc: Doc): string | undefined {
  if (typeof doc === 'string') return doc;
  if (!Array.isArray(doc)) return undefined;
  let text = '';
  for (const part of doc) {
    const piece = fixedText(part);
    if (piece === undefined) return undefined;
    text += piece;
  }
  return text;
}

/**
 * The text Prettier prints for `doc` in flat mode (a group on one line), or undefined when the doc
 * holds something that flat mode does not decide alone: a hard line, a break propagated to a group,
 * a line suffix (a trailing comment), a conditional on another group.
 */
export function flatText(doc: Doc): string | undefined {
  if (typeof doc === 'string') return doc;
  if (Array.isArray(doc)) {
    let text = '';
    for (const part of doc) {
      const piece = flatText(part);
      if (piece === undefined) return undefined;
      text += piece;
    }
    return text;
  }
  switch (doc.type) {
    case 'group':
      return doc.break ? undefined : flatText(doc.contents);
    case 'indent':
    case 'align':
    case 'label':
      return flatText(doc.contents);
    case 'fill':
      return flatText(doc.parts);
    case 'line':
      return doc.hard ? undefined : doc.soft ? '' : ' ';
    default:
      return undefined;
  }
}

/**
 * A whole line of `prefix` (fixed text at column 0) and `rest`, as one string when it fits the print
 * width flat, which is exactly when Prettier would print every group in it flat: then it skips the
 * group, the indentation and the fit measuring that Prettier does for each (a third of its time on a
 * 1 MB file of lets). Undefined when it does not fit or cannot be decided here.
 */
export function wholeLineIfFlat(prefix: Doc, rest: Doc, options: ParserOptions): string | undefined {
  const text = flatText([prefix, rest]);
  if (text === undefined || text.includes('\n') || util.getStringWidth(text) > options.printWidth) return undefined;
  return text;
}

/** `{}` when empty; otherwise the items one per line, indented, with dangling comments kept. */
export function printBracedBody(path: AstPath, options: ParserOptions, items: PrintedItem[]): Doc {
  return bracedBody(
    path,
    options,
    items.map((item) => item.node),
    items.map((item) => item.doc),
  );
}

/** `printBracedBody` of the elements of the array at `key`, each printed as `printItems` prints it. */
export function printBody(path: AstPath, options: ParserOptions, print: PrintChild, key: string): Doc {
  return bracedBody(path, options, (path.node as Record<string, AstNode[]>)[key]!, printEach(path, print, key, options));
}

function bracedBody(path: AstPath, options: ParserOptions, nodes: readonly AstNode[], docs: readonly Doc[]): Doc {
  const dangling = printDanglingComments(path, options);
  if (docs.length === 0 && dangling === '') return '{}';
  if (dangling === '') {
    // The items are indented once for each node on the path but the root (SourceFile): a body's
    // items are its owner's, and its owner is an item of the body of the node above it, or a
    // declaration at column 0.
    const fixed = fixedBody(nodes, docs, options, nodesOnPath(path) - 1);
    if (fixed) return fixed;
  }
  const content: Doc[] = [];
  if (dangling !== '') content.push(dangling);
  if (dangling !== '' && docs.length > 0) content.push(hardline);
  content.push(joinLines(nodes, docs, options));
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

/**
 * The fast path of a body whose items are all fixed text (`b1()`, `dense(4)` with nothing around
 * them): its lines are one string, each written out with its indentation, after a hard line and
 * before the hard line of the `}`, instead of an `indent` around the body and a hard line and an
 * item for each line. The output is the same: the first line follows the hard line, which prints the
 * enclosing indentation, and the others start at `levels` indentations, the items' own (each body
 * around an item is the body of a node on its path, and nothing else indents a body: see
 * bracedBody); a blank line is empty, as Prettier's trim at the next hard line leaves it. Prettier
 * measures the string's width for the column after it, which no break decision uses: the hard line
 * before the string ends any measuring of the groups before the body on its line, and the hard line
 * after it starts a new one. Prettier's printer computes a new indentation for every `indent` it
 * meets and walks every part of a doc, and our top-level `fixedLines` walks every part too: for a
 * body of 100,000 layers or 40,000 bodies of a few items, that was most of the printing.
 */
function fixedBody(nodes: readonly AstNode[], docs: readonly Doc[], options: ParserOptions, levels: number): Doc | undefined {
  const unit = options.useTabs ? '\t' : ' '.repeat(options.tabWidth);
  const lineStart = `\n${unit.repeat(levels)}`;
  const pieces: string[] = [unit];
  for (let index = 0; index < docs.length; index++) {
    const text = fixedText(docs[index]!);
    // Trimmed as the hard line after it would trim it; a line left empty would need the indentation
    // before it trimmed too, which the general path does.
    const line = text === undefined ? '' : trimLineEnd(text);
    if (line === '') return undefined;
    if (index > 0) pieces.push(hasBlankLineAfter(nodes[index - 1]!, options) ? `\n${lineStart}` : lineStart);
    pieces.push(line);
  }
  // The break-parent breaks the groups around, as a `hardline`'s own would.
  return ['{', breakParent, hardlineWithoutBreakParent, pieces.join(''), hardlineWithoutBreakParent, '}'];
}
