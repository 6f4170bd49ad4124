// AE5xxx: The field's known traps (warnings). Codes are stable: never renumber, only add.
import type { CatalogueEntry } from './entry.js';

export const lintsCodes = {
  AE5001: { severity: 'warning', title: 'overcomplete code without a regulariser' },
  AE5002: { severity: 'warning', title: 'gaussian latent without kl' },
  AE5003: { severity: 'warning', title: 'bce on an unbounded output' },
  AE5004: { severity: 'warning', title: 'relu on a narrow code' },
  AE5005: { severity: 'warning', title: 'unused head' },
  AE5006: { severity: 'warning', title: 'unused layer name' },
  AE5007: { severity: 'warning', title: 'parameter count too large' },
  AE5008: { severity: 'warning', title: 'loss mixes sum and mean reductions' },
  AE5009: { severity: 'warning', title: 'prediction and target reversed' },
  AE5010: { severity: 'warning', title: 'activation applied twice at the output' },
  AE5011: { severity: 'warning', title: 'recurrent layer over too many steps' },
} as const satisfies Record<`AE5${string}`, CatalogueEntry>;
