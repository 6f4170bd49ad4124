// Data sets too large to hold, read from their files when a batch needs them (docs/data.md,
// "Data larger than memory"). IDX and NPY files are read where they lie: their header is parsed,
// one pre-pass over the values applies the scaling rule's checks, and samples are then read by
// position. A CSV file is parsed once into a float32 spill file, read the same way (csv-dataset.ts).
import { closeSync } from 'node:fs';
import { totalmem } from 'node:os';
import type { IRInput } from '../../ir/types.js';
import { pixelScaling, resolveSampleShape, ValueScan, type StreamedDataset } from './dataset.js';
import { product } from './errors.js';
import { FileSamples, readFully, scanRecords, type ElementType, type RecordLayout } from './file-samples.js';
import { IDX_HEADER_MAX, isGzip, parseIdxHeader } from './idx.js';
import { NPY_PREAMBLE, npyHeaderLength, parseNpyHeader } from './npy.js';
import { openDataFileSync } from './read-file.js';

/** Data sets whose float32 samples take more bytes than this are streamed unless the caller says
 *  otherwise: 1 GiB, or a quarter of the machine's memory when that is less. */
export const STREAM_ABOVE_BYTES = Math.min(2 ** 30, Math.floor(totalmem() / 4));

/** The bytes above which a data set is streamed: `stream` true streams every file, false none. */
export function streamThreshold(stream: boolean | undefined): number {
  return stream === true ? 0 : stream === false ? Infinity : STREAM_ABOVE_BYTES;
}

interface ArrayHeader {
  dtype: string;
  shape: number[];
  dataStart: number;
  element: ElementType;
}

/**
 * The samples of an IDX or NPY file, streamed when their float32 size exceeds `streamAbove` bytes,
 * and how many samples the file holds (before the limit); undefined when the file is to be read whole (small enough, a gzipped IDX file, or one that holds
 * a single value: the whole-file reader reports it).
 */
export function openStreamedArray(
  path: string,
  file: string,
  format: 'idx' | 'npy',
  input: IRInput,
  limit: number | undefined,
  streamAbove: number,
): { dataset: StreamedDataset; total: number } | undefined {
  const { fd, size } = openDataFileSync(path, file);
  let dataset: StreamedDataset | undefined;
  try {
    const header = readHeader(fd, size, file, format);
    if (header === undefined || header.shape.length === 0) return undefined;
    const count = limit === undefined ? header.shape[0]! : Math.min(limit, header.shape[0]!);
    const storedShape = header.shape.slice(1);
    if (count === 0 || count * product(storedShape) * 4 <= streamAbove) return undefined;
    dataset = streamedArray(fd, file, header, count, input);
    return { dataset, total: header.shape[0]! };
  } finally {
    if (dataset === undefined) closeSync(fd);
  }
}

function streamedArray(fd: number, file: string, header: ArrayHeader, count: number, input: IRInput): StreamedDataset {
  const sampleShape = resolveSampleShape(input, { file, sampleShape: header.shape.slice(1) }, 'sample 1');
  const layout: RecordLayout = { dataStart: header.dataStart, sampleSize: product(sampleShape), element: header.element };
  let scaling = pixelScaling(input.range);
  if (header.dtype !== 'uint8') {
    const scan = new ValueScan(file, layout.sampleSize, input.range);
    scanRecords(fd, file, layout, count, scan);
    scaling = scan.scaling(input.name);
  }
  return { name: file, count, sampleShape, stream: new FileSamples(fd, file, layout, count, scaling) };
}

/** The header from the file's first bytes; undefined for a gzipped file (it has no fixed offsets). */
function readHeader(fd: number, size: number, file: string, format: 'idx' | 'npy'): ArrayHeader | undefined {
  const first = (length: number): Uint8Array => {
    const bytes = new Uint8Array(Math.min(length, size));
    readFully(fd, bytes, bytes.length, 0, file);
    return bytes;
  };
  if (format === 'idx') {
    const head = first(IDX_HEADER_MAX);
    if (isGzip(head)) return undefined;
    const { dtype, shape, headerBytes, element } = parseIdxHeader(head, file, size);
    return { dtype, shape, dataStart: headerBytes, element };
  }
  const preamble = first(NPY_PREAMBLE);
  const head = first(Math.max(NPY_PREAMBLE, npyHeaderLength(preamble)));
  const { dtype, shape, dataStart, element } = parseNpyHeader(head, file, size);
  return { dtype, shape, dataStart, element };
}
