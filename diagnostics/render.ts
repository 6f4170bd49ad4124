// Diagnostics → text. Three forms: for people (rustc/Elm style, with the source line and a caret
// underline), for tools (`--format json`, 1-based positions), and for golden files (the source
// echoed with `~~~` under each range, TypeScript-baseline style, so a reviewer sees a diff).
import type { SourceRange } from './source-range.js';
import type { Diagnostic } from './diagnostic.js';
import { sortDiagnostics } from './diagnostic.js';

export interface RenderOptions {
  /** ANSI colours (for a terminal). Off by default so output is stable in tests and pipes. */
  color?: boolean;
  /** The file name used for diagnostics without a `file`. */
  defaultFile?: string;
}

const ansi = { red: '\x1b[31m', yellow: '\x1b[33m', blue: '\x1b[34m', cyan: '\x1b[36m', bold: '\x1b[1m', reset: '\x1b[0m' };

/** `file:line:col: error AE1011: message`, the line, a caret underline, notes, help and related places. */
export function renderHuman(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, options: RenderOptions = {}): string {
  const paint = (code: keyof typeof ansi, text: string) => (options.color ? `${ansi[code]}${text}${ansi.reset}` : text);
  const blocks = sortDiagnostics(diagnostics).map((d) => {
    const file = d.file ?? options.defaultFile ?? '<input>';
    const severityColor = d.severity === 'error' ? 'red' : d.severity === 'warning' ? 'yellow' : 'blue';
    const lines = [
      `${file}:${d.range.start.line}:${d.range.start.column}: ${paint(severityColor, `${d.severity} ${d.code}`)}: ${paint('bold', d.message)}`,
      ...excerpt(sources.get(file), d.range, (s) => paint(severityColor, s)),
      ...d.notes.map((note) => `  = note: ${note}`),
      ...(d.fix ? [`  = help: ${d.fix.message}`] : []),
      ...d.related.map((r) => {
        const relatedFile = r.file ?? file;
        return [
          `${relatedFile}:${r.range.start.line}:${r.range.start.column}: ${paint('cyan', 'note')}: ${r.message}`,
          ...excerpt(sources.get(relatedFile), r.range, (s) => paint('cyan', s)),
        ].join('\n');
      }),
    ];
    return lines.join('\n');
  });
  if (blocks.length === 0) return '';
  return `${blocks.join('\n\n')}\n\n${summary(diagnostics)}\n`;
}

/** "2 errors, 1 warning". */
export function summary(diagnostics: readonly Diagnostic[]): string {
  const count = (severity: string, word: string) => {
    const n = diagnostics.filter((d) => d.severity === severity).length;
    return n === 0 ? [] : [`${n} ${word}${n === 1 ? '' : 's'}`];
  };
  return [...count('error', 'error'), ...count('warning', 'warning'), ...count('info', 'note')].join(', ');
}

/** The widest excerpt of a source line shown: a one-line file of 32 KB once printed its whole line
 *  under each of its thousands of errors (and ran out of string length). */
export const MAX_EXCERPT_COLUMNS = 120;
/** How much of a long line is kept before the caret, for context. */
const CONTEXT_BEFORE = 40;

/** The first line of the range under a gutter, and carets under the range (at least one). A line
 *  over MAX_EXCERPT_COLUMNS is cut to a window around the caret, with `…` where it was cut. */
function excerpt(source: string | undefined, range: SourceRange, paint: (s: string) => string): string[] {
  if (source === undefined) return [];
  const lineText = sourceLines(source)[range.start.line - 1];
  if (lineText === undefined) return [];
  const gutter = String(range.start.line);
  const pad = ' '.repeat(gutter.length);
  const startColumn = range.start.column;
  const endColumn = range.end.line === range.start.line ? range.end.column : lineText.length + 1;
  const from = lineText.length <= MAX_EXCERPT_COLUMNS ? 0 : Math.max(0, Math.min(startColumn - 1 - CONTEXT_BEFORE, lineText.length - MAX_EXCERPT_COLUMNS));
  const to = Math.min(lineText.length, from + MAX_EXCERPT_COLUMNS);
  const before = from > 0 ? '…' : '';
  const after = to < lineText.length ? '…' : '';
  const shown = before + lineText.slice(from, to).replace(/\t/g, ' ') + after;
  const caretAt = startColumn - 1 - from + before.length;
  const width = Math.max(1, Math.min(endColumn, to + 1) - startColumn);
  return [`${pad} |`, `${gutter} | ${shown}`, `${pad} | ${' '.repeat(caretAt)}${paint('^'.repeat(width))}`];
}

/** The last source split into lines: every diagnostic of a file shows a line of it, and splitting
 *  the whole file again for each one made rendering a file's warnings quadratic. */
let splitSource: string | undefined;
let splitLines: string[] = [];

function sourceLines(source: string): string[] {
  if (source !== splitSource) {
    splitLines = source.split(/\r\n|\r|\n/);
    splitSource = source;
  }
  return splitLines;
}

interface JsonDiagnostic {
  file: string | null;
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
  notes: string[];
  /** Other places that matter (`file` null when it is the diagnostic's own file). */
  related: Array<{ message: string; file: string | null; range: JsonDiagnostic['range'] }>;
  fix: { message: string; edits: Array<{ range: JsonDiagnostic['range']; newText: string }> } | null;
}

/** `{"diagnostics": [...]}` with 1-based lines and columns; stable key order for tools and tests. */
export function renderJson(diagnostics: readonly Diagnostic[]): string {
  const point = (p: { line: number; column: number }) => ({ line: p.line, column: p.column });
  const range = (r: SourceRange) => ({ start: point(r.start), end: point(r.end) });
  const list: JsonDiagnostic[] = sortDiagnostics(diagnostics).map((d) => ({
    file: d.file ?? null,
    code: d.code,
    severity: d.severity,
    message: d.message,
    range: range(d.range),
    notes: d.notes,
    related: d.related.map((r) => ({ message: r.message, file: r.file ?? null, range: range(r.range) })),
    fix: d.fix ? { message: d.fix.message, edits: d.fix.edits.map((e) => ({ range: range(e.range), newText: e.newText })) } : null,
  }));
  return `${JSON.stringify({ diagnostics: list }, null, 2)}\n`;
}

export interface BaselineOptions {
  /** The file `text` is; diagnostics of other files (imports) are listed after it. Without it,
   *  every diagnostic is taken to be in `text`. */
  file?: string;
  /** Texts of the other files, for an excerpt of each of their diagnostics (`Analysis.sources`). */
  sources?: ReadonlyMap<string, string>;
}

/**
 * The golden-file form: every source line echoed, and after each line that a diagnostic starts on,
 * `~` under its range and `CODE: message` below. An empty range still gets one `~`. Diagnostics in
 * other files follow, under `==== FILE`, each with its own line (when that file's text is known).
 * A related place in another file than its diagnostic's is written `FILE:line:column`.
 */
export function renderErrorBaseline(text: string, diagnostics: readonly Diagnostic[], options: BaselineOptions = {}): string {
  const lines = sourceLines(text);
  const sorted = sortDiagnostics(diagnostics);
  const inMain = (d: Diagnostic) => d.file === undefined || options.file === undefined || d.file === options.file;
  const main = sorted.filter(inMain);
  const out: string[] = [];
  lines.forEach((lineText, index) => {
    const lineNumber = index + 1;
    out.push(lineText);
    for (const d of main) if (d.range.start.line === lineNumber) out.push(...baselineEntry(d, lineText, options.file));
  });
  // Diagnostics past the last line (none expected; positions are clamped) still appear.
  for (const d of main) if (d.range.start.line > lines.length) out.push(`!!! ${d.severity} ${d.code}: ${d.message}`);
  const others = sorted.filter((d) => !inMain(d));
  let currentFile: string | undefined;
  for (const d of others) {
    if (d.file !== currentFile) {
      currentFile = d.file;
      if (out[out.length - 1] !== '') out.push('');
      out.push(`==== ${d.file}`);
    }
    const other = options.sources?.get(d.file!);
    const lineText = other === undefined ? undefined : sourceLines(other)[d.range.start.line - 1];
    out.push(`@@ ${d.range.start.line}:${d.range.start.column}`);
    if (lineText === undefined) out.push(...baselineEntry(d, undefined, d.file));
    else out.push(lineText, ...baselineEntry(d, lineText, d.file));
  }
  const header = `==== ${sorted.length} diagnostic${sorted.length === 1 ? '' : 's'}\n`;
  return `${header}${out.join('\n')}\n`;
}

/** `~~~` under the range (when its line is shown), the message, related places, notes and fix. */
function baselineEntry(d: Diagnostic, lineText: string | undefined, file: string | undefined): string[] {
  const out: string[] = [];
  if (lineText !== undefined) {
    const endColumn = d.range.end.line === d.range.start.line ? d.range.end.column : lineText.length + 1;
    const width = Math.max(1, endColumn - d.range.start.column);
    out.push(`${' '.repeat(d.range.start.column - 1)}${'~'.repeat(width)}`);
  }
  out.push(`!!! ${d.severity} ${d.code}: ${d.message}`);
  for (const related of d.related) {
    const where = related.file !== undefined && related.file !== (d.file ?? file) ? `${related.file}:` : '';
    out.push(`!!! related ${where}${related.range.start.line}:${related.range.start.column}: ${related.message}`);
  }
  for (const note of d.notes) out.push(`!!! note: ${note}`);
  if (d.fix) out.push(`!!! fix: ${d.fix.message}`);
  return out;
}
