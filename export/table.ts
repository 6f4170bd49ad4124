// A table model's row encoding, as a run stores it (table.json, written by `ae train`: numeric columns
// standardised with the training data's mean and standard deviation, categorical ones one-hot over
// their sorted levels). Exporters take it from their caller (they read only ir/), record it in the
// files they write, and check it against the IR's columns.
import type { IRInput } from '../ir/types.js';
import { ExportError } from './weights.js';

export interface TableEncoding {
  columns: ({ name: string; mean: number; std: number } | { name: string; levels: string[] })[];
}

/** Each column's width in the encoded row: 1 for a numeric column, its level count otherwise. */
export function columnWidths(input: IRInput): number[] {
  return (input.columns ?? []).map((c) => c.levels ?? 1);
}

/** Refuses an encoding whose columns are not the input's (names, kinds, level counts, in order). */
export function checkTableEncoding(input: IRInput, encoding: TableEncoding): void {
  const columns = input.columns ?? [];
  if (encoding.columns.length !== columns.length) throw new ExportError(`the table encoding has ${encoding.columns.length} columns, input '${input.name}' has ${columns.length}`);
  columns.forEach((column, i) => {
    const encoded = encoding.columns[i]!;
    if (encoded.name !== column.name) throw new ExportError(`the table encoding's column ${i + 1} is '${encoded.name}', input '${input.name}' has '${column.name}'`);
    const levels = 'levels' in encoded ? encoded.levels.length : undefined;
    if (levels !== column.levels) throw new ExportError(`the table encoding's column '${column.name}' has ${levels === undefined ? 'no levels' : `${levels} levels`}, the model declares ${column.levels === undefined ? 'a numeric column' : `category(${column.levels})`}`);
  });
}
