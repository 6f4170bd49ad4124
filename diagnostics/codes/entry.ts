import type { Severity } from '../diagnostic.js';

/** One catalogue entry. `title` is the short name used in docs/diagnostics.md and the JSON output. */
export interface CatalogueEntry {
  severity: Severity;
  title: string;
}
