// What bundling aelang for the browser needs beyond esbuild's defaults, shared by the playground's
// build (scripts/build-playground.ts) and the test that holds the compiler to it
// (test/playground/browser-bundle.test.ts): grammar/chevrotain.ts loads Chevrotain's single-file
// bundle through Node's `createRequire`, so in a browser bundle grammar/chevrotain-browser.ts, which
// imports the package like any module, takes its place.
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metafile, Plugin } from 'esbuild';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** An esbuild plugin: grammar/chevrotain.ts → grammar/chevrotain-browser.ts. */
export const browserSeams: Plugin = {
  name: 'aelang-browser-seams',
  setup(build) {
    build.onResolve({ filter: /\/chevrotain\.js$/ }, (args) => {
      const target = path.resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      if (target !== path.join(repoRoot, 'grammar', 'chevrotain.ts')) return undefined;
      return { path: path.join(repoRoot, 'grammar', 'chevrotain-browser.ts') };
    });
  },
};

/** The `node:` (and bare Node built-in) imports left in a metafile: none may reach a browser bundle. */
export function nodeImports(metafile: Metafile): string[] {
  const found: string[] = [];
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.path.startsWith('node:') || isBuiltin(imported.path)) found.push(`${file} imports ${imported.path}`);
    }
  }
  return found;
}
