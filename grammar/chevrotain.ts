// Chevrotain, loaded from the single-file bundle the package ships (lib/chevrotain.mjs). The
// package's entry point loads about 700 small modules (its sources and lodash-es), which took
// 0.3 s of CPU at every start of `ae`; the bundle is the same code in one file (20 ms). The
// package's exports map does not list it, so it is found next to the entry point; if a later
// version drops it, the entry point is used. Both are loaded with `require` (Node ≥ 20.19 loads an
// ES module synchronously that way), not a top-level `await import`: a module with a top-level
// await cannot be `require`d, which locked every CommonJS user out of `aelang/compiler`.
// Everything in grammar/ imports Chevrotain's values from here, so there is one copy (EOF and
// token types are compared by identity).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

type Chevrotain = typeof import('chevrotain');

function load(): Chevrotain {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('chevrotain'); // …/chevrotain/lib/src/api.js
  const bundle = join(dirname(entry), '../chevrotain.mjs');
  return require(existsSync(bundle) ? bundle : entry) as Chevrotain;
}

const chevrotain = load();

export const { CstParser, EOF, Lexer, createToken, generateCstDts, tokenMatcher } = chevrotain;
