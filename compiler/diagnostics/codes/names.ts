// AE2xxx: Names, imports, blocks, constants. Codes are stable: never renumber, only add.
import type { CatalogueEntry } from './entry.js';

export const namesCodes = {
} as const satisfies Record<`AE2${string}`, CatalogueEntry>;
