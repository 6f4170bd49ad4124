// loadDataset: one entry point from a DataSource (or a CLI `--data` string) to a checked Dataset.
// Every mismatch between the data and the model's inputs surfaces here, before training starts.

import { isAbsolute, resolve } from 'node:path';
import type { DataSource, IRInput } from '../../ir/types.js';
import { parseDataArgument } from './arguments.js';
import { loadCsvDataset } from './csv-dataset.js';
import { csvDelimiter } from './csv.js';
import { toDataset, toLabels, type Dataset } from './dataset.js';
import { DataError, formatShape } from './errors.js';
import { readIdx } from './idx.js';
import { mnistFiles } from './mnist.js';
import { readNpy } from './npy.js';
import { closeDataset } from './samples.js';
import { openStreamedArray, streamThreshold } from './streamed.js';
import { generateSynthetic } from './synthetic.js';
import { loadCsvWindows, type RecordedSeries } from './windows.js';
import { loadTableCsv, type TableEncoding } from './table.js';

export interface LoadOptions {
  /** Take the first N samples. */
  limit?: number;
  /** Relative paths in the source are resolved against this directory. */
  cwd: string;
  /** The model's label input, when it has one: labels are then required and checked against its classes. */
  labelsInput?: IRInput;
  /** Read samples from the file batch by batch instead of holding them (true: every IDX, NPY and
   *  CSV file; false: none). By default, files whose float32 samples exceed STREAM_ABOVE_BYTES.
   *  A streamed data set holds its file open until closeDataset(). */
  stream?: boolean;
  /** The training series' windows (a run's record): a CSV read without `window` is cut as it was,
   *  and every series is standardised with its statistics; absent: a series' own statistics. */
  series?: RecordedSeries;
  /** A table input's encoding fitted on the training data; without it a table is fitted on this data. */
  tableEncoding?: TableEncoding;
}

export async function loadDataset(source: DataSource | string, input: IRInput, options: LoadOptions): Promise<Dataset> {
  const resolved = typeof source === 'string' ? parseDataArgument(source, options.cwd) : source;
  const { limit } = options;
  if (input.kind === 'table' && resolved.kind !== 'csv') {
    throw new DataError(`input '${input.name}' is a table: its rows are read by column name from a CSV file (csv("path")), not from ${resolved.kind} data`);
  }
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new DataError(`the sample limit must be a positive integer, got ${limit}`);
  }
  const dataset = await loadSource(resolved, input, options);
  if (options.labelsInput && !dataset.labels) {
    closeDataset(dataset);
    throw new DataError(`${dataset.name} has no labels, but input '${options.labelsInput.name}' needs them`);
  }
  return dataset;
}

async function loadSource(source: DataSource, input: IRInput, options: LoadOptions): Promise<Dataset> {
  const { limit, cwd, labelsInput } = options;
  const path = (file: string): string => (isAbsolute(file) ? file : resolve(cwd, file));
  switch (source.kind) {
    case 'mnist': {
      const files = mnistFiles(source.split);
      const name = `mnist:${source.split}`;
      return loadArrays(name, { path: files.images, name }, { path: files.labels, name: `${name} labels` }, input, options, 'idx');
    }
    case 'idx':
    case 'npy': {
      const file = source.kind === 'idx' ? source.images : source.path;
      const labels = source.labels === undefined ? undefined : { path: path(source.labels), name: source.labels };
      return loadArrays(file, { path: path(file), name: file }, labels, input, options, source.kind);
    }
    case 'csv': {
      const delimiter = csvDelimiter(source.delimiter, source.path, source.path);
      if (input.kind === 'table') {
        return loadTableCsv(path(source.path), source.path, input, { delimiter, ...(limit !== undefined ? { limit } : {}), ...(options.tableEncoding ? { encoding: options.tableEncoding } : {}) });
      }
      const window = source.window ?? options.series?.window;
      if (window !== undefined) {
        const rows = { delimiter, ...(source.label !== undefined ? { label: source.label } : {}) };
        const stride = source.stride ?? (source.window === undefined ? options.series?.stride : undefined) ?? 1;
        const windows = { window, stride, ...(limit !== undefined ? { limit } : {}), ...(options.series ? { statistics: options.series.statistics } : {}) };
        return loadCsvWindows(path(source.path), source.path, rows, input, windows);
      }
      const csv = { delimiter, ...(limit !== undefined ? { limit } : {}), ...(source.label !== undefined ? { label: source.label } : {}) };
      return loadCsvDataset(path(source.path), source.path, csv, input, { labelsInput, streamAbove: streamThreshold(options.stream) });
    }
    case 'synthetic':
      return generateSynthetic(source, input, limit);
    default:
      throw new DataError(`unknown data source kind '${(source as { kind: string }).kind}'`);
  }
}

interface FileRef {
  path: string;
  /** How messages name the file: as the user wrote it. */
  name: string;
}

async function loadArrays(name: string, data: FileRef, labels: FileRef | undefined, input: IRInput, options: LoadOptions, format: 'idx' | 'npy'): Promise<Dataset> {
  const { limit, labelsInput } = options;
  const read = format === 'idx' ? readIdx : readNpy;
  const streamed = await openStreamedArray(data.path, data.name, format, input, limit, streamThreshold(options.stream));
  let dataset: Dataset;
  let samplesTotal: number;
  if (streamed) {
    dataset = { ...streamed.dataset, name };
    samplesTotal = streamed.total;
  } else {
    const array = await read(data.path, { limit, name: data.name });
    if (array.shape.length === 0) throw new DataError(`${data.name}: holds a single value, not a list of samples`);
    const raw = {
      file: data.name,
      kind: array.dtype === 'uint8' ? ('uint8' as const) : ('values' as const),
      count: array.count,
      sampleShape: array.shape.slice(1),
      values: array.data,
    };
    dataset = toDataset(name, raw, input);
    samplesTotal = array.shape[0];
  }
  if (!labels) return dataset;
  try {
    const labelArray = await read(labels.path, { limit, name: labels.name });
    const perLabel = labelArray.shape.slice(1);
    if (labelArray.shape.length === 0 || perLabel.some((d) => d !== 1)) {
      throw new DataError(`${labels.name}: labels must be one class index per sample, shape [n], but the file holds ${formatShape(labelArray.shape)}`);
    }
    dataset.labels = toLabels({ file: labels.name, total: labelArray.shape[0], values: labelArray.data }, samplesTotal, data.name, dataset.count, labelsInput);
    return dataset;
  } catch (error) {
    closeDataset(dataset);
    throw error;
  }
}
