// Formatting as a function: Prettier with the aelang plugin, so `ae fmt` and
// `prettier --plugin aelang/prettier FILE` print the same text. Prettier is an optional peer
// dependency (a project keeps its own Prettier 3, not a second copy), so it is imported when a
// file is first formatted, and its absence is a FormatterUnavailableError, not a failed import of
// the whole compiler.

export interface FormatOptions {
  /** Defaults to the plugin's 100 columns. */
  printWidth?: number;
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
  return format(text, {
    parser: 'aelang',
    plugins: [plugin],
    ...(options.printWidth === undefined ? {} : { printWidth: options.printWidth }),
  });
}

async function loadPrettier(): Promise<typeof import('prettier')> {
  try {
    return await import('prettier');
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if ((e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') && /['"]prettier['"]/.test(e.message ?? '')) throw new FormatterUnavailableError();
    throw error;
  }
}
