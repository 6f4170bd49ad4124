// AE5xxx: The field's known traps (warnings). Codes are stable: never renumber, only add.
import type { CatalogueEntry } from './entry.js';

export const lintsCodes = {
} as const satisfies Record<`AE5${string}`, CatalogueEntry>;
