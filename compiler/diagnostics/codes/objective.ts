// AE4xxx: The objective and training phases. Codes are stable: never renumber, only add.
import type { CatalogueEntry } from './entry.js';

export const objectiveCodes = {
} as const satisfies Record<`AE4${string}`, CatalogueEntry>;
