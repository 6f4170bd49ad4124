// AE6xxx: Uses of a trained run (`ae sample`, `ae interpolate`, ...) that cannot work as asked.
// The runtime reports these (it cannot import this catalogue: it carries the code in its TaskError),
// so a test checks that every code the runtime raises is here. Codes are stable: only add.
import type { CatalogueEntry } from './entry.js';

export const usesCodes = {
  AE6001: { severity: 'error', title: 'condition missing' },
  AE6002: { severity: 'error', title: 'invalid condition' },
} as const satisfies Record<`AE6${string}`, CatalogueEntry>;
