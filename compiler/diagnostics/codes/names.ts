// AE2xxx: Names, imports, blocks, constants. Codes are stable: never renumber, only add.
import type { CatalogueEntry } from './entry.js';

export const namesCodes = {
  AE2001: { severity: 'error', title: 'unknown name' },
  AE2002: { severity: 'error', title: 'duplicate name' },
} as const satisfies Record<`AE2${string}`, CatalogueEntry>;
