// Data sets too large to hold, read from their files when a batch needs them (docs/data.md,
// "Data larger than memory"). IDX and NPY files are read where they lie: their header is parsed,
// one pre-pass over the values applies the scaling rule's checks, and samples are then read by
// position. A gzipped IDX file has no fixed offsets: it is inflated into a spill file first. A CSV
// file is parsed once into a float32 spill file, read the same way (csv-dataset.ts).
import { closeSync, createReadStream } from 'node:fs';
import { totalmem } from 'node:os';
import { createGunzip } from 'node:zlib';
import type { IRInput } from '../../ir/types.js';
import { pixelScaling, resolveSampleShape, ValueScan, type StreamedDataset } from './dataset.js';
import { openSpillFile, writeSpill } from './buffers.js';
import { DataError, product } from './errors.js';
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
 * and how many samples the file holds (before the limit); undefined when the file is to be read
 * whole (small enough, or holding a single value: the whole-file reader reports it).
 */
export async function openStreamedArray(
  path: string,
  file: string,
  format: 'idx' | 'npy',
  input: IRInput,
  limit: number | undefined,
  streamAbove: number,
): Promise<{ dataset: StreamedDataset; total: number } | undefined> {
  let { fd, size } = openDataFileSync(path, file);
  let dataset: StreamedDataset | undefined;
  try {
    let header = readHeader(fd, size, file, format);
    if (header === undefined) {
      closeSync(fd);
      fd = -1;
      header = await inflatedHeader(path, file);
    }
    if (header.shape.length === 0) return undefined;
    const count = limit === undefined ? header.shape[0]! : Math.min(limit, header.shape[0]!);
    if (count === 0 || count * product(header.shape.slice(1)) * 4 <= streamAbove) return undefined;
    if (fd < 0) {
      ({ fd, size } = await inflateToSpill(path, file));
      header = readHeader(fd, size, file, format)!;
    }
    dataset = streamedArray(fd, file, header, count, input);
    return { dataset, total: header.shape[0]! };
  } finally {
    if (dataset === undefined && fd >= 0) closeSync(fd);
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

/** The header of a gzipped IDX file, from as much of it as the header takes to inflate. */
async function inflatedHeader(path: string, file: string): Promise<ArrayHeader> {
  const chunks: Buffer[] = [];
  let length = 0;
  const source = createReadStream(path);
  const gunzip = source.pipe(createGunzip());
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= IDX_HEADER_MAX) break;
    }
  } catch (error) {
    throw new DataError(`${file}: starts like gzip but does not inflate: ${(error as Error).message}`);
  } finally {
    gunzip.destroy();
    source.destroy();
  }
  const { dtype, shape, headerBytes, element } = parseIdxHeader(new Uint8Array(Buffer.concat(chunks)), file);
  return { dtype, shape, dataStart: headerBytes, element };
}

/** A gzipped file inflated into a spill file (buffers.ts): its descriptor and size. */
async function inflateToSpill(path: string, file: string): Promise<{ fd: number; size: number }> {
  const fd = openSpillFile();
  let size = 0;
  try {
    for await (const chunk of createReadStream(path).pipe(createGunzip()) as AsyncIterable<Buffer>) {
      writeSpill(fd, chunk, size);
      size += chunk.length;
    }
    return { fd, size };
  } catch (error) {
    closeSync(fd);
    if (error instanceof DataError) throw error;
    throw new DataError(`${file}: starts like gzip but does not inflate: ${(error as Error).message}`);
  }
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
