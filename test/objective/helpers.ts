// Assertion helpers: a diagnostic as `CODE line:column`, the way the tests compare them.
import type { Diagnostic } from '../../diagnostics/diagnostic.js';

export function where(d: Diagnostic): string {
  return `${d.code} ${d.range.start.line}:${d.range.start.column}`;
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map(where);
}
