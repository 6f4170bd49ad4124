// loadDataset: one entry point from a DataSource (or a CLI `--data` string) to a checked Dataset.
// Every mismatch between the data and the model's inputs surfaces here, before training starts.

import { isAbsolute, resolve } from 'node:path';
import type { DataSource, IRInput } from '../../ir/types.js';
import { parseDataArgument } from './arguments.js';
import { readCsv } from './csv.js';
import { toDataset, toLabels, type Dataset, type RawLabels } from './dataset.js';
import { DataError, formatShape } from './errors.js';
import { readIdx } from './idx.js';
import { mnistFiles } from './mnist.js';
import { readNpy } from './npy.js';
import { generateSynthetic } from './synthetic.js';

export interface LoadOptions {
  /** Take the first N samples. */
  limit?: number;
  /** Relative paths in the source are resolved against this directory. */
  cwd: string;
  /** The model's label input, when it has one: labels are then required and checked against its classes. */
  labelsInput?: IRInput;
}

export async function loadDataset(source: DataSource | string, input: IRInput, options: LoadOptions): Promise<Dataset> {
  const resolved = typeof source === 'string' ? parseDataArgument(source, options.cwd) : source;
  const { limit } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new DataError(`the sample limit must be a positive integer, got ${limit}`);
  }
  const dataset = await loadSource(resolved, input, options);
  if (options.labelsInput && !dataset.labels) {
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
      return loadArrays(name, { path: files.images, name }, { path: files.labels, name: `${name} labels` }, input, limit, labelsInput, 'idx');
    }
    case 'idx':
    case 'npy': {
      const file = source.kind === 'idx' ? source.images : source.path;
      const labels = source.labels === undefined ? undefined : { path: path(source.labels), name: source.labels };
      return loadArrays(file, { path: path(file), name: file }, labels, input, limit, labelsInput, source.kind);
    }
    case 'csv': {
      const table = await readCsv(path(source.path), { limit, label: source.label, name: source.path });
      const raw = { file: source.path, kind: 'values' as const, count: table.count, sampleShape: [table.columns], values: table.values };
      const dataset = toDataset(source.path, raw, input, `line ${table.firstDataLine}`);
      if (table.labels) {
        const labels: RawLabels = { file: `${source.path} column '${source.label}'`, total: table.count, values: table.labels };
        dataset.labels = toLabels(labels, table.count, source.path, table.count, labelsInput);
      }
      return dataset;
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

async function loadArrays(
  name: string,
  data: FileRef,
  labels: FileRef | undefined,
  input: IRInput,
  limit: number | undefined,
  labelsInput: IRInput | undefined,
  format: 'idx' | 'npy',
): Promise<Dataset> {
  const read = format === 'idx' ? readIdx : readNpy;
  const array = await read(data.path, { limit, name: data.name });
  if (array.shape.length === 0) throw new DataError(`${data.name}: holds a single value, not a list of samples`);
  const raw = {
    file: data.name,
    kind: array.dtype === 'uint8' ? ('uint8' as const) : ('values' as const),
    count: array.count,
    sampleShape: array.shape.slice(1),
    values: array.data,
  };
  const dataset = toDataset(name, raw, input);
  if (labels) {
    const labelArray = await read(labels.path, { limit, name: labels.name });
    const perLabel = labelArray.shape.slice(1);
    if (labelArray.shape.length === 0 || perLabel.some((d) => d !== 1)) {
      throw new DataError(`${labels.name}: labels must be one class index per sample, shape [n], but the file holds ${formatShape(labelArray.shape)}`);
    }
    dataset.labels = toLabels({ file: labels.name, total: labelArray.shape[0], values: labelArray.data }, array.shape[0], data.name, array.count, labelsInput);
  }
  return dataset;
}
