// Tables (`input x: table(amount, hour, merchant: category(40))`) read from a CSV file by column
// name: the header names the columns, in any order, with any other columns ignored. Each row
// becomes the encoded vector the encoder reads: a numeric column standardised, (v − mean) / std,
// a categorical column one-hot over its levels. The encoding is fitted on the training data
// (means, standard deviations, and the levels each categorical column takes, sorted) and stored
// with the run (table.json), so validation, encoding and scoring read rows exactly as training did.
// Refused, naming the file and line: a missing column, an empty field (no imputation: fill or drop
// the row), a numeric field that is no number, a level the training data did not have (no
// `unknown` level: a new merchant at score time is reported, not silently mapped), and training
// data whose level count disagrees with the declared `category(n)`.
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import type { IRInput, IRTableColumn } from '../../ir/types.js';
import { fileErrorReason } from '../file-error-reason.js';
import type { InMemoryDataset } from './dataset.js';
import { DataError } from './errors.js';

/** How each column of a table is encoded, fitted on the training data. */
export interface TableEncoding {
  columns: ({ name: string; mean: number; std: number } | { name: string; levels: string[] })[];
}

/** The fields of each declared column, row by row, with each row's 1-based line. */
interface RawTable {
  file: string;
  fields: string[][];
  lines: number[];
}

export const TABLE_ENCODING_FILE = 'table.json';

export async function loadTableCsv(
  path: string,
  file: string,
  input: IRInput,
  options: { delimiter: string; limit?: number; encoding?: TableEncoding },
): Promise<InMemoryDataset & { table: TableEncoding }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DataError(`cannot read ${file}: ${fileErrorReason(error)}`);
  }
  const columns = columnsOf(input);
  const raw = parseTable(text, file, columns, options);
  const table = options.encoding ?? fitTable(raw, columns);
  const x = encodeTable(raw, table);
  return { name: file, count: raw.fields.length, sampleShape: [x.length / raw.fields.length], x, table };
}

function columnsOf(input: IRInput): IRTableColumn[] {
  if (input.kind !== 'table' || !input.columns) throw new DataError(`input '${input.name}' is not a table`);
  return input.columns;
}

/** The declared columns' fields, by header name; a missing column or empty field is an error. */
export function parseTable(text: string, file: string, columns: readonly IRTableColumn[], options: { delimiter: string; limit?: number }): RawTable {
  const parsed = Papa.parse<string[]>(text, { delimiter: options.delimiter, skipEmptyLines: false });
  const records = parsed.data;
  if (records.length === 0 || records[0]!.every((f) => f.trim() === '')) throw new DataError(`${file}: no header row naming the columns`);
  const header = records[0]!.map((name) => name.trim());
  const at = columns.map((column) => {
    const index = header.indexOf(column.name);
    if (index < 0) throw new DataError(`${file}: no column '${column.name}' in the header (it has ${header.map((h) => `'${h}'`).join(', ')})`);
    return index;
  });
  const fields: string[][] = [];
  const lines: number[] = [];
  // Papa keeps a line's records in order; counting each record's line breaks gives its line.
  let line = 1 + lineBreaks(records[0]!);
  for (const record of records.slice(1)) {
    line += 1;
    const here = line;
    line += lineBreaks(record);
    if (record.length === 1 && record[0]!.trim() === '') continue;
    if (options.limit !== undefined && fields.length >= options.limit) break;
    fields.push(
      at.map((index, c) => {
        const value = (record[index] ?? '').trim();
        if (value === '') throw new DataError(`${file}: line ${here}: column '${columns[c]!.name}' is empty (missing values are refused: fill or drop the row)`);
        return value;
      }),
    );
    lines.push(here);
  }
  if (fields.length === 0) throw new DataError(`${file}: no data rows after the header`);
  return { file, fields, lines };
}

function lineBreaks(record: readonly string[]): number {
  return record.reduce((n, field) => n + (field.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
}

/** Means and standard deviations of the numeric columns, the sorted levels of the categorical ones. */
export function fitTable(raw: RawTable, columns: readonly IRTableColumn[]): TableEncoding {
  return {
    columns: columns.map((column, c) => {
      if (column.levels === undefined) {
        const values = raw.fields.map((row, r) => numberAt(raw, r, column.name, row[c]!));
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
        // A constant column is centred, not divided by zero.
        return { name: column.name, mean, std: Math.sqrt(variance) || 1 };
      }
      const levels = [...new Set(raw.fields.map((row) => row[c]!))].sort();
      if (levels.length !== column.levels) {
        throw new DataError(
          `${raw.file}: column '${column.name}' is declared category(${column.levels}), but the training data has ${levels.length} levels` +
            (levels.length <= 12 ? ` (${levels.map((l) => `'${l}'`).join(', ')})` : ''),
        );
      }
      return { name: column.name, levels };
    }),
  };
}

/** Each row as the encoder reads it, with the fitted encoding. */
export function encodeTable(raw: RawTable, encoding: TableEncoding): Float32Array {
  const width = encoding.columns.reduce((n, c) => n + ('levels' in c ? c.levels.length : 1), 0);
  const x = new Float32Array(raw.fields.length * width);
  const indices = encoding.columns.map((c) => ('levels' in c ? new Map(c.levels.map((level, i) => [level, i])) : undefined));
  raw.fields.forEach((row, r) => {
    let offset = r * width;
    encoding.columns.forEach((column, c) => {
      if ('levels' in column) {
        const index = indices[c]!.get(row[c]!);
        if (index === undefined) {
          throw new DataError(`${raw.file}: line ${raw.lines[r]}: column '${column.name}' has the level '${row[c]}', which the training data did not have (levels are learned from the training data; there is no 'unknown' level)`);
        }
        x[offset + index] = 1;
        offset += column.levels.length;
      } else {
        x[offset] = (numberAt(raw, r, column.name, row[c]!) - column.mean) / column.std;
        offset += 1;
      }
    });
  });
  return x;
}

function numberAt(raw: RawTable, r: number, name: string, field: string): number {
  const value = Number(field);
  if (!Number.isFinite(value)) throw new DataError(`${raw.file}: line ${raw.lines[r]}: column '${name}' is numeric, but holds '${field}'`);
  return value;
}
