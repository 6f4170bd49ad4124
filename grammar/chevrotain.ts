// Chevrotain, loaded from the single-file bundle the package ships (lib/chevrotain.mjs). The
// package's entry point loads about 700 small modules (its sources and lodash-es), which took
// 0.3 s of CPU at every start of `ae`; the bundle is the same code in one file. The package's
// exports map does not list it, so it is found next to the entry point; if a later version drops
// it, the entry point is used. Everything in grammar/ imports Chevrotain's values from here, so
// there is one copy (EOF and token types are compared by identity).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

async function load(): Promise<Chevrotain> {
  try {
    const entry = createRequire(import.meta.url).resolve('chevrotain'); // …/chevrotain/lib/src/api.js
    const bundle = new URL('../chevrotain.mjs', pathToFileURL(entry));
    if (existsSync(bundle)) return (await import(bundle.href)) as Chevrotain;
  } catch {
    // fall through to the package entry
  }
  return import('chevrotain');
}

const chevrotain = await load();

export const { CstParser, EOF, Lexer, createToken, generateCstDts, tokenMatcher } = chevrotain;
