// The one catalogue of diagnostic codes, in ranges per phase:
// AE1xxx syntax, AE2xxx names, AE3xxx shapes/types, AE4xxx objective/training, AE5xxx lints,
// AE6xxx uses of a trained run.
import type { CatalogueEntry } from './entry.js';
import { syntaxCodes } from './syntax.js';
import { namesCodes } from './names.js';
import { shapesCodes } from './shapes.js';
import { objectiveCodes } from './objective.js';
import { lintsCodes } from './lints.js';
import { usesCodes } from './uses.js';

export const diagnosticCatalogue = Object.freeze({
  ...syntaxCodes,
  ...namesCodes,
  ...shapesCodes,
  ...objectiveCodes,
  ...lintsCodes,
  ...usesCodes,
}) as Readonly<Record<DiagnosticCode, CatalogueEntry>>;

/** The entries with their literal types, so a template's placeholders are known to the compiler. */
export type CatalogueEntries = typeof syntaxCodes &
  typeof namesCodes &
  typeof shapesCodes &
  typeof objectiveCodes &
  typeof lintsCodes &
  typeof usesCodes;

export type DiagnosticCode =
  | keyof typeof syntaxCodes
  | keyof typeof namesCodes
  | keyof typeof shapesCodes
  | keyof typeof objectiveCodes
  | keyof typeof lintsCodes
  | keyof typeof usesCodes;

export type { CatalogueEntry };
