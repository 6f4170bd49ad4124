// The one shape every phase reports problems in. Checks never compute lines and columns
// themselves: they hand over AST nodes (or ranges taken from them), and renderers turn that into text.
import type { SourceRange } from './source-range.js';
import { diagnosticCatalogue, type DiagnosticCode } from './codes/index.js';

export type Severity = 'error' | 'warning' | 'info';

/** A second place that matters for the diagnostic (the layer a tied layer ties to, the first duplicate). */
export interface RelatedLocation {
  message: string;
  range: SourceRange;
  /** Absent when it is the same file as the diagnostic. */
  file?: string;
}

export interface TextEdit {
  range: SourceRange;
  newText: string;
}

/** A suggested fix: a sentence for people, and edits an editor can apply. */
export interface SuggestedFix {
  message: string;
  edits: TextEdit[];
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  range: SourceRange;
  /** Absent while the diagnostic is still inside the phase that made it; set by the driver. */
  file?: string;
  related: RelatedLocation[];
  notes: string[];
  fix?: SuggestedFix;
}

export interface DiagnosticOptions {
  related?: RelatedLocation[];
  notes?: string[];
  fix?: SuggestedFix;
  /** Overrides the catalogue's severity (rare: a lint raised to an error by a setting). */
  severity?: Severity;
}

/** Builds a diagnostic whose severity comes from the catalogue, so a code is never both. */
export function diagnostic(
  code: DiagnosticCode,
  message: string,
  range: SourceRange,
  options: DiagnosticOptions = {},
): Diagnostic {
  const entry = diagnosticCatalogue[code];
  return {
    code,
    severity: options.severity ?? entry.severity,
    message,
    range,
    related: options.related ?? [],
    notes: options.notes ?? [],
    ...(options.fix ? { fix: options.fix } : {}),
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Source order, then code, so output is stable whatever order the phases ran in. Files and codes
 *  compare by code unit, not localeCompare: the same order under every locale, and no collator to
 *  load (a process's first localeCompare costs it ~7 ms). */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      byCodeUnit(a.file ?? '', b.file ?? '') ||
      a.range.start.offset - b.range.start.offset ||
      byCodeUnit(a.code, b.code),
  );
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
