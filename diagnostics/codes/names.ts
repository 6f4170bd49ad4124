// AE2xxx: Names, imports, blocks, constants. Codes are stable: never renumber, only add.
import type { CatalogueEntry } from './entry.js';

export const namesCodes = {
  AE2001: { severity: 'error', title: 'unknown name' },
  AE2002: { severity: 'error', title: 'duplicate name' },
  AE2003: { severity: 'error', title: 'unknown layer' },
  AE2004: { severity: 'error', title: 'unknown activation' },
  AE2005: { severity: 'error', title: 'unknown argument' },
  AE2006: { severity: 'error', title: 'wrong number of arguments' },
  AE2007: { severity: 'error', title: 'argument given twice' },
  AE2008: { severity: 'error', title: 'imported file not found' },
  AE2009: { severity: 'error', title: 'import cycle' },
  AE2010: { severity: 'error', title: 'not a constant' },
  AE2011: { severity: 'error', title: 'constant defined in terms of itself' },
  AE2012: { severity: 'error', title: 'recursive block' },
  AE2013: { severity: 'error', title: 'unknown member of an import' },
  AE2014: { severity: 'error', title: 'wrong argument type' },
  AE2015: { severity: 'error', title: 'not a whole number' },
  AE2016: { severity: 'error', title: 'division by zero' },
  AE2017: { severity: 'error', title: 'missing model member' },
  AE2018: { severity: 'error', title: 'invalid mirror' },
  AE2019: { severity: 'error', title: 'invalid value' },
  AE2020: { severity: 'error', title: 'argument out of range' },
  AE2021: { severity: 'error', title: 'blocks nested too deeply' },
  AE2022: { severity: 'error', title: 'too many layers' },
  AE2023: { severity: 'error', title: 'number too large' },
} as const satisfies Record<`AE2${string}`, CatalogueEntry>;
