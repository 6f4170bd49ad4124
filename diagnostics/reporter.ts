// The one place checks hand problems to: `(code, node, message)` in, a ranged diagnostic out.
// It caps the count (maxErrors) so a badly broken file does not drown the user, and it tags
// diagnostics from imported files with their file.
import type { SourceRange } from './source-range.js';
import { diagnostic, type Diagnostic, type DiagnosticOptions, type RelatedLocation } from './diagnostic.js';
import type { DiagnosticCode } from './codes/index.js';
import { closestMatch } from './suggest.js';

/** Anything with a range: every AST node, or a bare range. */
export type Located = { range: SourceRange } | SourceRange;

export const DEFAULT_MAX_ERRORS = 100;

export function rangeOf(at: Located): SourceRange {
  return 'range' in at ? at.range : at;
}

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private errorCount = 0;
  /** A block used twice would report the same problem twice; once is enough. */
  private readonly seen = new Set<string>();

  constructor(readonly maxErrors = DEFAULT_MAX_ERRORS) {}

  get full(): boolean {
    return this.errorCount >= this.maxErrors;
  }

  get errors(): number {
    return this.errorCount;
  }

  report(code: DiagnosticCode, at: Located, message: string, options: DiagnosticOptions & { file?: string } = {}): void {
    const made = diagnostic(code, message, rangeOf(at), options);
    if (options.file !== undefined) made.file = options.file;
    this.replay(made);
  }

  /** Adds a diagnostic made earlier (kept aside by another Reporter), counted and deduplicated. */
  replay(made: Diagnostic): void {
    const key = `${made.file ?? ''}:${made.range.start.offset}:${made.range.end.offset}:${made.code}:${made.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (made.severity === 'error') {
      if (this.full) return;
      this.errorCount++;
    }
    this.diagnostics.push(made);
  }

  /** "unknown X" with a did-you-mean note and a replacing fix when a candidate is close. */
  unknown(
    code: DiagnosticCode,
    at: Located,
    message: string,
    name: string,
    candidates: Iterable<string>,
    options: { file?: string; notes?: string[]; related?: RelatedLocation[] } = {},
  ): void {
    const range = rangeOf(at);
    const match = closestMatch(name, candidates);
    const notes = [...(options.notes ?? [])];
    if (match !== undefined) notes.push(`did you mean \`${match}\`?`);
    this.report(code, range, message, {
      ...options,
      notes,
      ...(match !== undefined ? { fix: { message: `replace with \`${match}\``, edits: [{ range, newText: match }] } } : {}),
    });
  }
}
