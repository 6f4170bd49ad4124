// AE1xxx: Lexing and parsing. Codes are stable: never renumber, only add.
import type { CatalogueEntry } from './entry.js';

export const syntaxCodes = {
  AE1001: { severity: 'error', title: 'unexpected character' },
  AE1002: { severity: 'error', title: 'unterminated string' },
  AE1003: { severity: 'error', title: 'unterminated block comment' },
  AE1004: { severity: 'error', title: 'unknown escape in string' },
  AE1010: { severity: 'error', title: 'unexpected token', message: 'expected {expected}, found {found}' },
  AE1011: { severity: 'error', title: 'missing comma' },
  AE1012: { severity: 'error', title: 'unclosed bracket' },
  AE1013: { severity: 'error', title: '`:` where `=` belongs' },
  AE1014: { severity: 'error', title: '`=` where `:` belongs' },
  AE1015: { severity: 'error', title: 'keyword used as a name' },
  AE1016: { severity: 'error', title: 'missing expression', message: 'expected an expression after {after}, found {found}' },
  AE1017: { severity: 'error', title: 'only names can be called' },
  AE1018: { severity: 'error', title: 'malformed value range' },
  AE1019: { severity: 'error', title: 'unknown type form' },
  AE1020: { severity: 'error', title: 'malformed mirror' },
  AE1021: { severity: 'error', title: 'second loss in a phase' },
  AE1022: { severity: 'error', title: 'unmatched closing bracket' },
  AE1023: { severity: 'error', title: 'unknown model member' },
  AE1024: { severity: 'error', title: 'nested too deep' },
  AE1025: { severity: 'error', title: 'too many syntax errors' },
} as const satisfies Record<`AE1${string}`, CatalogueEntry>;
