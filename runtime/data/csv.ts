// CSV data: one sample per line (LF, CRLF or CR), values separated by commas, an optional header
// row. The first line is a header by a rule on its own fields, never because it failed to parse:
// every field is a name or empty, and at least one is a name (a name: not a number, not NaN or
// Inf, after surrounding quotes are removed). A label column is chosen by header name or by 0-based
// column index (`data.csv#label=digit`, `data.csv#label=0`); every other column is a feature. A
// field may be quoted (`"1.5"`); quotes holding commas are not supported: numeric data needs none.
// Errors name the 1-based line.

import { DataError } from './errors.js';
import { readDataFile } from './read-file.js';

export interface CsvTable {
  header?: string[];
  /** Data rows read (at most the limit). */
  count: number;
  /** Feature columns per row (label column excluded). */
  columns: number;
  /** count × columns feature values, row after row. */
  values: Float64Array;
  labels?: Float64Array;
  /** The 1-based line of the first data row, for messages about the rows' shape. */
  firstDataLine: number;
}

export async function readCsv(path: string, options: { limit?: number; label?: string; name?: string } = {}): Promise<CsvTable> {
  const name = options.name ?? path;
  const text = new TextDecoder().decode(await readDataFile(path, name));
  return parseCsv(text, name, options);
}

export function parseCsv(text: string, file: string, options: { limit?: number; label?: string } = {}): CsvTable {
  const lines = text.split(/\r\n|\r|\n/);
  let lineIndex = 0;
  while (lineIndex < lines.length && lines[lineIndex].trim() === '') lineIndex++;
  if (lineIndex === lines.length) throw new DataError(`${file}: the CSV file is empty`);

  const firstFields = splitFields(lines[lineIndex]);
  const hasHeader = isHeader(firstFields);
  const header = hasHeader ? firstFields : undefined;
  if (hasHeader) lineIndex++;
  const width = firstFields.length;
  const labelColumn = options.label === undefined ? -1 : findLabelColumn(options.label, header, width, file);
  const columns = labelColumn < 0 ? width : width - 1;

  const limit = options.limit ?? Infinity;
  const values: number[] = [];
  const labels: number[] = [];
  let count = 0;
  let firstDataLine = 0;
  for (; lineIndex < lines.length && count < limit; lineIndex++) {
    const line = lines[lineIndex];
    if (line.trim() === '') continue;
    const lineNumber = lineIndex + 1;
    const fields = splitFields(line);
    if (fields.length !== width) {
      throw new DataError(
        `${file}: line ${lineNumber} has ${fields.length} columns but ${hasHeader ? 'the header' : 'the first row'} has ${width}`,
      );
    }
    fields.forEach((field, column) => {
      const value = Number(field);
      if (!isNumber(field)) {
        const columnName = header ? `'${header[column]}'` : `${column + 1}`;
        throw new DataError(`${file}: line ${lineNumber}, column ${columnName}: '${field}' is not a number`);
      }
      if (column === labelColumn) labels.push(value);
      else values.push(value);
    });
    if (count === 0) firstDataLine = lineNumber;
    count++;
  }
  if (count === 0) throw new DataError(`${file}: the CSV file has a header but no data rows`);
  return {
    header,
    count,
    columns,
    values: Float64Array.from(values),
    labels: labelColumn < 0 ? undefined : Float64Array.from(labels),
    firstDataLine,
  };
}

function findLabelColumn(label: string, header: string[] | undefined, width: number, file: string): number {
  const byName = header?.indexOf(label) ?? -1;
  if (byName >= 0) return byName;
  if (/^\d+$/.test(label) && Number(label) < width) return Number(label);
  const known = header ? `columns: ${header.join(', ')}` : `the file has no header; use a 0-based index below ${width}`;
  throw new DataError(`${file}: no label column '${label}' (${known})`);
}

function splitFields(line: string): string[] {
  return line.split(',').map((field) => unquote(field.trim()));
}

function unquote(field: string): string {
  return field.length >= 2 && field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1).trim() : field;
}

/** The header rule (see the top of this file): `x,y,label` and `,a,b` are headers; `NaN,1`, `,1`,
 *  `"1",2` and `x,1` are not (the last is a data row with a bad value, reported as such). */
export function isHeader(fields: readonly string[]): boolean {
  const isName = (field: string) => field !== '' && Number.isNaN(Number(field)) && !/^[+-]?(nan|inf|infinity)$/i.test(field);
  return fields.some(isName) && fields.every((field) => field === '' || isName(field));
}

function isNumber(field: string): boolean {
  return field !== '' && Number.isFinite(Number(field));
}
