// CSV data, parsed by PapaParse (RFC 4180: a quoted field may hold the delimiter, line breaks and
// doubled quotes). One sample per record; values separated by commas, or by another one-character
// delimiter (tabs for .tsv files; `data.txt#delimiter=;`); lines end in LF, CRLF or CR, in any mix;
// empty lines are skipped; an optional header row. The first record is a header by a rule on its
// own fields, never because it failed to parse: every field is a name or empty, and at least one is
// a name (a name: not a number, not NaN or Inf). A label column is chosen by header name or by
// 0-based column index (`data.csv#label=digit`, `data.csv#label=0`); every other column is a
// feature. Files are read as a stream, a megabyte at a time: the text is never held whole.
// Errors name the 1-based line.

import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { fileErrorReason } from '../file-error-reason.js';
import { Float64List } from './buffers.js';
import { DataError } from './errors.js';
import { openDataFileSync } from './read-file.js';

export interface CsvOptions {
  /** Read at most this many data rows. */
  limit?: number;
  /** The label column: a header name or a 0-based index. */
  label?: string;
  /** One character; a comma by default. */
  delimiter?: string;
}

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

/** Receives each data row: its features (a buffer reused for the next row), its label (NaN
 *  without a label column) and its 1-based line. */
export type CsvRowHandler = (features: Float64Array, label: number, line: number) => void;

/** What a finished read found besides the rows. */
export interface CsvSummary {
  header?: string[];
  count: number;
  columns: number;
  hasLabels: boolean;
  firstDataLine: number;
}

/** The delimiter a file is read with: the one given (one character, or `tab`), else a tab for a
 *  `.tsv` file and a comma for any other. */
export function csvDelimiter(given: string | undefined, path: string, file: string): string {
  if (given === undefined) return /\.tsv$/i.test(path) ? '\t' : ',';
  const delimiter = given === 'tab' || given === '\\t' ? '\t' : given;
  if ([...delimiter].length !== 1 || /[\r\n"0-9.+\-eE]/.test(delimiter)) {
    throw new DataError(`${file}: the delimiter must be one character that cannot be part of a number or a quote (or 'tab'), got '${given}'`);
  }
  return delimiter;
}

/** Parses CSV text held in memory. */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): CsvTable {
  const table = new TableBuilder();
  const records = new CsvRecords(file, options, table.row);
  let failure: unknown;
  Papa.parse(stripBom(text).replace(/\r\n?/g, '\n'), parserConfig(options, records, (error) => (failure ??= error)));
  if (failure !== undefined) throw failure;
  return table.finish(records.finish());
}

/** Reads a CSV file into memory. */
export async function readCsv(path: string, options: CsvOptions & { name?: string } = {}): Promise<CsvTable> {
  const table = new TableBuilder();
  return table.finish(await readCsvRows(path, options.name ?? path, options, table.row));
}

/** Streams a CSV file's data rows to `onRow`; `file` names it in messages. */
export async function readCsvRows(path: string, file: string, options: CsvOptions, onRow: CsvRowHandler): Promise<CsvSummary> {
  const records = new CsvRecords(file, options, onRow);
  const { fd } = openDataFileSync(path, file);
  const source = createReadStream('', { fd, encoding: 'utf8', highWaterMark: 1 << 20 });
  const input = Readable.from(normaliseLineEnds(source));
  let failure: unknown;
  try {
    await new Promise<void>((resolve, reject) => {
      input.on('error', (error) => reject(new DataError(`cannot read ${file}: ${fileErrorReason(error)}`)));
      Papa.parse<string[], NodeJS.ReadableStream>(input, { ...parserConfig(options, records, (error) => (failure ??= error)), complete: () => resolve() });
    });
  } finally {
    input.destroy();
    source.destroy();
  }
  if (failure !== undefined) throw failure;
  return records.finish();
}

function parserConfig(options: CsvOptions, records: CsvRecords, fail: (error: unknown) => void): Papa.ParseConfig<string[]> {
  return {
    delimiter: options.delimiter ?? ',',
    newline: '\n',
    quoteChar: '"',
    escapeChar: '"',
    header: false,
    dynamicTyping: false,
    skipEmptyLines: false,
    step: (result, parser) => {
      try {
        if (!records.add(result.data, result.errors[0]?.message)) parser.abort();
      } catch (error) {
        fail(error);
        parser.abort();
      }
    },
  };
}

/** Turns CRLF and CR into LF (so PapaParse, which takes one line ending per file, reads any mix)
 *  and drops a byte-order mark. A CR that ends a chunk may be the first half of a CRLF. */
async function* normaliseLineEnds(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let first = true;
  let afterCarriageReturn = false;
  for await (let chunk of chunks) {
    if (first) chunk = stripBom(chunk);
    first = false;
    if (afterCarriageReturn && chunk.startsWith('\n')) chunk = chunk.slice(1);
    afterCarriageReturn = chunk.endsWith('\r');
    yield chunk.includes('\r') ? chunk.replace(/\r\n?/g, '\n') : chunk;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The rows as they come from the parser: the header rule, the label column, the numbers, the
 *  line count (a quoted field may span lines). */
class CsvRecords {
  private line = 1;
  private started = false;
  private header: string[] | undefined;
  private width = 0;
  private labelColumn = -1;
  private features = new Float64Array(0);
  private count = 0;
  private firstDataLine = 0;
  private readonly limit: number;

  constructor(
    private readonly file: string,
    private readonly options: CsvOptions,
    private readonly onRow: CsvRowHandler,
  ) {
    this.limit = options.limit ?? Infinity;
  }

  /** One record; false once the limit is reached (the caller stops reading). */
  add(record: string[], quoteError: string | undefined): boolean {
    const line = this.line;
    this.line += 1 + newlinesIn(record);
    if (quoteError !== undefined) throw new DataError(`${this.file}: line ${line}: ${quoteError.toLowerCase()}`);
    if (record.length === 1 && record[0]!.trim() === '') return true;
    const fields = record.map(clean);
    if (!this.started) {
      this.started = true;
      this.width = fields.length;
      if (isHeader(fields)) {
        this.header = fields;
        this.labelColumn = this.findLabelColumn();
        return true;
      }
      this.labelColumn = this.findLabelColumn();
    }
    this.row(fields, line);
    return this.count < this.limit;
  }

  finish(): CsvSummary {
    if (!this.started) throw new DataError(`${this.file}: the CSV file is empty`);
    if (this.count === 0) throw new DataError(`${this.file}: the CSV file has a header but no data rows`);
    const columns = this.labelColumn < 0 ? this.width : this.width - 1;
    return { ...(this.header ? { header: this.header } : {}), count: this.count, columns, hasLabels: this.labelColumn >= 0, firstDataLine: this.firstDataLine };
  }

  private row(fields: string[], line: number): void {
    if (fields.length !== this.width) {
      throw new DataError(`${this.file}: line ${line} has ${fields.length} columns but ${this.header ? 'the header' : 'the first row'} has ${this.width}`);
    }
    if (this.count === 0) {
      this.features = new Float64Array(this.labelColumn < 0 ? this.width : this.width - 1);
      this.firstDataLine = line;
    }
    let label = Number.NaN;
    for (let column = 0, feature = 0; column < fields.length; column++) {
      const field = fields[column]!;
      const value = Number(field);
      if (field === '' || !Number.isFinite(value)) {
        const columnName = this.header ? `'${this.header[column]}'` : `${column + 1}`;
        throw new DataError(`${this.file}: line ${line}, column ${columnName}: '${field}' is not a number`);
      }
      if (column === this.labelColumn) label = value;
      else this.features[feature++] = value;
    }
    this.count++;
    this.onRow(this.features, label, line);
  }

  private findLabelColumn(): number {
    const label = this.options.label;
    if (label === undefined) return -1;
    const byName = this.header?.indexOf(label) ?? -1;
    if (byName >= 0) return byName;
    if (/^\d+$/.test(label) && Number(label) < this.width) return Number(label);
    const known = this.header ? `columns: ${this.header.join(', ')}` : `the file has no header; use a 0-based index below ${this.width}`;
    throw new DataError(`${this.file}: no label column '${label}' (${known})`);
  }
}

function newlinesIn(record: string[]): number {
  let count = 0;
  for (const field of record) {
    for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) count++;
  }
  return count;
}

/** Spaces around a field are dropped, and quotes that survive them (` "1.5" `) too. */
function clean(field: string): string {
  const trimmed = field.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).trim() : trimmed;
}

/** The header rule (see the top of this file): `x,y,label` and `,a,b` are headers; `NaN,1`, `,1`,
 *  `"1",2` and `x,1` are not (the last is a data row with a bad value, reported as such). */
export function isHeader(fields: readonly string[]): boolean {
  const isName = (field: string) => field !== '' && Number.isNaN(Number(field)) && !/^[+-]?(nan|inf|infinity)$/i.test(field);
  return fields.some(isName) && fields.every((field) => field === '' || isName(field));
}

class TableBuilder {
  private readonly values = new Float64List();
  private readonly labels = new Float64List();

  readonly row: CsvRowHandler = (features, label) => {
    this.values.append(features);
    if (!Number.isNaN(label)) this.labels.push(label);
  };

  finish(summary: CsvSummary): CsvTable {
    const { hasLabels, ...rest } = summary;
    return { ...rest, values: this.values.toArray(), ...(hasLabels ? { labels: this.labels.toArray() } : {}) };
  }
}
