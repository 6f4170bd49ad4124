// AE3xxx: Shapes and types. Codes are stable: never renumber, only add.
import type { CatalogueEntry } from './entry.js';

export const shapesCodes = {
  AE3001: { severity: 'error', title: 'decoder output does not match the input' },
  AE3002: { severity: 'error', title: 'layer does not fit its input shape', message: '`{layer}` needs {expected}, but gets {actual}' },
  AE3003: { severity: 'error', title: 'output size not a positive integer' },
  AE3004: { severity: 'error', title: 'reshape changes the element count', message: 'cannot reshape {input} ({count} values) into {target}: {reason}' },
  AE3005: { severity: 'error', title: 'tied layers not transposable' },
  AE3006: { severity: 'error', title: 'unpool without maxpool switches', message: '`unpool` has no switches to use: {reason}' },
  AE3007: { severity: 'error', title: 'mirrored layer cannot restore its shape', message: 'the mirror of this `{op}` cannot restore its input shape {shape}: {reason}' },
  AE3008: { severity: 'error', title: 'invalid dimension', message: '{what} must be {expected}, got {actual}' },
  AE3009: { severity: 'error', title: 'invalid value range', message: '{what} must be {expected}, got {actual}' },
  AE3010: { severity: 'error', title: 'invalid corruption target' },
  AE3011: { severity: 'error', title: 'vq dimension mismatch' },
  AE3012: { severity: 'error', title: 'no input to reconstruct' },
  AE3013: { severity: 'error', title: 'parameter count overflows', message: '{what} has more {things} than can be counted exactly (2^53)' },
  AE3014: { severity: 'error', title: 'model too large for memory' },
  AE3015: { severity: 'error', title: 'latent is the input itself', message: 'the latent `{latent}` is the input `{input}` unchanged: the encoder has no layer and the latent adds none' },
  // Sequences (LANGUAGE.md section 10): from AE3020, leaving AE3015–AE3019 to the tables' codes.
  AE3020: { severity: 'error', title: 'layer cannot be tied', message: '`mirror(encoder, tied = true)` cannot tie this `{op}`: {reason}' },
  AE3018: { severity: 'error', title: 'conditional read is not a vector', message: '`{member}` reads `{name}` of {shape}, which cannot be concatenated with the rest' },
  AE3016: { severity: 'error', title: 'conditional decoder does not read the code first', message: 'a conditional decoder reads the code `{name}` first' },
  AE3017: { severity: 'error', title: 'table output without a table input', message: '`output ... = table` reconstructs a table, but `{input}` is not one' },
} as const satisfies Record<`AE3${string}`, CatalogueEntry>;
