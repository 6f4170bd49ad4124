// Between the compiler's positions (offsets, 1-based lines and columns in UTF-16 units) and LSP's
// (0-based lines, UTF-16 characters): the same units, so a range converts without the text.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Range } from 'vscode-languageserver';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.js';
import type { SourceRange } from '../diagnostics/source-range.js';

export function toLspRange(range: SourceRange): Range {
  return {
    start: { line: range.start.line - 1, character: range.start.column - 1 },
    end: { line: range.end.line - 1, character: range.end.column - 1 },
  };
}

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Files are named as `ae check` names them: relative to the workspace root when inside it. */
export class FileNames {
  constructor(readonly root: string) {}

  fileOf(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const absolute = fileURLToPath(uri);
    const relative = path.relative(this.root, absolute);
    const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
    return (inside ? relative : absolute).split(path.sep).join('/');
  }

  /** A document that is no file (`untitled:Untitled-1`) is named by its URI, and stays so. */
  uriOf(file: string): string {
    if (/^[A-Za-z][A-Za-z0-9+.-]+:/.test(file)) return file;
    return pathToFileURL(path.resolve(this.root, file)).href;
  }
}

/** One compiler diagnostic as LSP shows it; notes join the message, as `ae check` prints them below it. */
export function toLspDiagnostic(d: Diagnostic, names: FileNames): LspDiagnostic {
  const file = d.file;
  const related: DiagnosticRelatedInformation[] = d.related.map((r) => ({
    location: { uri: names.uriOf(r.file ?? file ?? ''), range: toLspRange(r.range) },
    message: r.message,
  }));
  const notes = d.notes.map((note) => `\nnote: ${note}`).join('');
  const help = d.fix ? `\nhelp: ${d.fix.message}` : '';
  return {
    range: toLspRange(d.range),
    severity: severities[d.severity],
    code: d.code,
    source: 'ae',
    message: `${d.message}${notes}${help}`,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
    // The code action reads the fix back from here, so it applies exactly what the compiler suggested.
    ...(d.fix ? { data: { fix: { message: d.fix.message, edits: d.fix.edits.map((e) => ({ range: toLspRange(e.range), newText: e.newText })) } } } : {}),
  };
}
