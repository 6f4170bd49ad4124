// Formatting as a function: Prettier with the aelang plugin, so `ae fmt` and
// `prettier --plugin aelang/prettier` print the same text.
import { format } from 'prettier';
import plugin from './plugin.js';

export interface FormatOptions {
  /** Defaults to the plugin's 100 columns. */
  printWidth?: number;
}

/** The formatted text; rejects with a SyntaxError (with `loc`) when the source does not parse. */
export async function formatAe(text: string, options: FormatOptions = {}): Promise<string> {
  return format(text, {
    parser: 'aelang',
    plugins: [plugin],
    ...(options.printWidth === undefined ? {} : { printWidth: options.printWidth }),
  });
}
