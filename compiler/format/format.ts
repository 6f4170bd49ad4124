// Formatting as a function: Prettier with the aelang plugin, so `ae fmt` and
// `prettier --plugin aelang/prettier FILE` print the same text. Prettier is an optional peer
// dependency (a project keeps its own Prettier 3, not a second copy), so it is imported when a
// file is first formatted, and its absence is a FormatterUnavailableError, not a failed import of
// the whole compiler. It is Prettier's standalone build (prettier/standalone, the core without its
// own language plugins), which prints the same as its full entry since the plugin and the parser
// are always given: the full entry (index.mjs, 678 KB) took ~70 ms of a fresh `ae fmt` to load.

import type { SourceFile } from '../../grammar/ast.js';

export interface FormatOptions {
  /** Defaults to the plugin's 100 columns. */
  printWidth?: number;
  /** The tree `parseSource(text)` gave, when the caller has parsed the text already (`ae fmt`
   *  does, to report every syntax error): the plugin then formats it instead of parsing again,
   *  which was a third of the time on a 1 MB file. It must be fresh (Prettier attaches comments
   *  to it) and be used for nothing else after. */
  parsed?: SourceFile;
}

/** Formatting was asked for and Prettier, an optional peer dependency, is not installed. */
export class FormatterUnavailableError extends Error {
  readonly code = 'PRETTIER_MISSING';
  constructor() {
    super("formatting .ae files needs Prettier 3, an optional peer dependency of aelang: install it beside aelang ('npm install --save-dev prettier')");
    this.name = 'FormatterUnavailableError';
  }
}

/** The formatted text; rejects with a SyntaxError (with `loc`) when the source does not parse. */
export async function formatAe(text: string, options: FormatOptions = {}): Promise<string> {
  const { format } = await loadPrettier();
  const { default: plugin } = await import('./plugin.js');
  if (options.parsed) (await import('./parse.js')).handOver(text, options.parsed);
  return format(text, {
    parser: 'aelang',
    plugins: [plugin],
    ...(options.printWidth === undefined ? {} : { printWidth: options.printWidth }),
  });
}

async function loadPrettier(): Promise<typeof import('prettier/standalone')> {
  try {
    return await import('prettier/standalone');
  } catch (error) {
    const e = error as { code?: string; message?: string };
    // Node names the package of a missing subpath: "Cannot find package 'prettier' imported from …".
    if ((e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') && /['"]prettier['"]/.test(e.message ?? '')) throw new FormatterUnavailableError();
    throw error;
  }
}
