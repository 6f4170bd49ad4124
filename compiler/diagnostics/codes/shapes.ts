// AE3xxx: Shapes and types. Codes are stable: never renumber, only add.
import type { CatalogueEntry } from './entry.js';

export const shapesCodes = {
} as const satisfies Record<`AE3${string}`, CatalogueEntry>;
