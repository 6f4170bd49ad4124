import type { Severity } from '../diagnostic.js';

/** One catalogue entry. `title` is the short name used in docs/diagnostics.md and the JSON output.
 *  `message`, where present, is the code's one wording: `{name}` marks a value the report site
 *  fills in through `message()` (diagnostics/message.ts), so two sites cannot word one code apart. */
export interface CatalogueEntry {
  severity: Severity;
  title: string;
  message?: string;
}
