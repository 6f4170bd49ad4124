// AE1xxx: Lexing and parsing. Codes are stable: never renumber, only add.
import type { CatalogueEntry } from './entry.js';

export const syntaxCodes = {
} as const satisfies Record<`AE1${string}`, CatalogueEntry>;
