// The IDX format (LeCun's MNIST files): two zero bytes, a type code, the number of dimensions, then
// each dimension as a big-endian uint32, then the values, big-endian, in C order. Files may be
// gzipped (`.gz`, as MNIST is usually distributed); we look at the gzip magic, not the name.

import { gunzipSync } from 'node:zlib';
import { DataError, formatShape, product } from './errors.js';
import type { ElementType } from './file-samples.js';
import { readDataFile } from './read-file.js';

export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxValues = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxType {
  code: number;
  dtype: IdxDtype;
  bytes: number;
  /** Reads one big-endian value. */
  read(view: DataView, offset: number): number;
  write(view: DataView, offset: number, value: number): void;
  create(length: number): IdxValues;
}

const IDX_TYPES: readonly IdxType[] = [
  { code: 0x08, dtype: 'uint8', bytes: 1, read: (v, o) => v.getUint8(o), write: (v, o, x) => v.setUint8(o, x), create: (n) => new Uint8Array(n) },
  { code: 0x09, dtype: 'int8', bytes: 1, read: (v, o) => v.getInt8(o), write: (v, o, x) => v.setInt8(o, x), create: (n) => new Int8Array(n) },
  { code: 0x0b, dtype: 'int16', bytes: 2, read: (v, o) => v.getInt16(o), write: (v, o, x) => v.setInt16(o, x), create: (n) => new Int16Array(n) },
  { code: 0x0c, dtype: 'int32', bytes: 4, read: (v, o) => v.getInt32(o), write: (v, o, x) => v.setInt32(o, x), create: (n) => new Int32Array(n) },
  { code: 0x0d, dtype: 'float32', bytes: 4, read: (v, o) => v.getFloat32(o), write: (v, o, x) => v.setFloat32(o, x), create: (n) => new Float32Array(n) },
  { code: 0x0e, dtype: 'float64', bytes: 8, read: (v, o) => v.getFloat64(o), write: (v, o, x) => v.setFloat64(o, x), create: (n) => new Float64Array(n) },
];

export interface IdxArray {
  dtype: IdxDtype;
  /** The full shape from the header: [60000, 28, 28]. */
  shape: number[];
  /** Items read along the first dimension (the limit, or all of them). */
  count: number;
  /** count × product(shape.slice(1)) values. */
  data: IdxValues;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Inflates gzip data; passes anything else through. */
export function gunzipIfNeeded(bytes: Uint8Array, file: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new DataError(`${file}: starts like gzip but does not inflate: ${(error as Error).message}`);
  }
}

export async function readIdx(path: string, options: { limit?: number; name?: string } = {}): Promise<IdxArray> {
  const name = options.name ?? path;
  const bytes = await readDataFile(path, name);
  return parseIdx(gunzipIfNeeded(bytes, name), name, options.limit);
}

/** Parses an (already inflated) IDX file, reading the first `limit` items when given. */
export function parseIdx(bytes: Uint8Array, file: string, limit?: number): IdxArray {
  const { type, shape, headerBytes } = parseIdxHeader(bytes, file, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = limit === undefined ? shape[0] : Math.min(limit, shape[0]);
  const length = count * product(shape.slice(1));
  let data: IdxValues;
  if (type.bytes === 1) {
    // Single bytes have no byte order: copy them in one go (MNIST's 47 MB would be slow value by value).
    // A copy into a fresh buffer (Buffer#slice would only be a view into the file's buffer).
    const slice = new Uint8Array(bytes.subarray(headerBytes, headerBytes + length));
    data = type.dtype === 'uint8' ? slice : new Int8Array(slice.buffer);
  } else {
    data = type.create(length);
    for (let i = 0; i < length; i++) data[i] = type.read(view, headerBytes + i * type.bytes);
  }
  return { dtype: type.dtype, shape, count, data };
}

/** The most bytes an IDX header takes (255 dimensions). */
export const IDX_HEADER_MAX = 4 + 4 * 255;

export interface IdxHeader {
  dtype: IdxDtype;
  shape: number[];
  /** Where the values start. */
  headerBytes: number;
  /** How to read one stored value (big-endian). */
  element: ElementType;
}

/** Reads the header from the file's first bytes (`head`, at least IDX_HEADER_MAX of them when the
 *  file has that many) and checks it against the file's length, when that is known. */
export function parseIdxHeader(head: Uint8Array, file: string, knownLength?: number): IdxHeader & { type: IdxType } {
  const fileLength = knownLength ?? head.length;
  if (fileLength < 4) throw new DataError(`${file}: too short for an IDX header (${fileLength} bytes)`);
  if (head[0] !== 0 || head[1] !== 0) {
    throw new DataError(`${file}: not an IDX file (magic starts with 0x${hex(head[0])}${hex(head[1])}, expected 0x0000)`);
  }
  const type = IDX_TYPES.find((t) => t.code === head[2]);
  if (!type) {
    const known = IDX_TYPES.map((t) => `0x${hex(t.code)} ${t.dtype}`).join(', ');
    throw new DataError(`${file}: unknown IDX type code 0x${hex(head[2])} (known: ${known})`);
  }
  const rank = head[3];
  if (rank === 0) throw new DataError(`${file}: IDX header declares 0 dimensions`);
  const headerBytes = 4 + 4 * rank;
  if (fileLength < headerBytes) {
    throw new DataError(`${file}: truncated IDX header: expected ${headerBytes} bytes for ${rank} dimensions, found ${fileLength}`);
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) shape.push(view.getUint32(4 + 4 * d));
  const expectedBytes = headerBytes + product(shape) * type.bytes;
  const element: ElementType = { dtype: type.dtype, bytes: type.bytes, littleEndian: false, read: type.read };
  if (knownLength === undefined) return { dtype: type.dtype, shape, headerBytes, element, type };
  if (fileLength < expectedBytes) {
    throw new DataError(
      `${file}: truncated IDX file: shape ${formatShape(shape)} of ${type.dtype} needs ${expectedBytes} bytes, found ${fileLength}`,
    );
  }
  if (fileLength > expectedBytes) {
    throw new DataError(
      `${file}: IDX file has ${fileLength - expectedBytes} bytes after the data (shape ${formatShape(shape)} of ${type.dtype} needs ${expectedBytes} bytes, found ${fileLength})`,
    );
  }
  return { dtype: type.dtype, shape, headerBytes, element, type };
}

/** Writes an IDX file's bytes (not gzipped); values are converted to `dtype`. */
export function encodeIdx(values: ArrayLike<number>, shape: number[], dtype: IdxDtype): Uint8Array {
  const type = IDX_TYPES.find((t) => t.dtype === dtype)!;
  if (product(shape) !== values.length) {
    throw new RangeError(`encodeIdx: ${values.length} values do not fill shape ${formatShape(shape)}`);
  }
  const headerBytes = 4 + 4 * shape.length;
  const bytes = new Uint8Array(headerBytes + values.length * type.bytes);
  const view = new DataView(bytes.buffer);
  bytes[2] = type.code;
  bytes[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  for (let i = 0; i < values.length; i++) type.write(view, headerBytes + i * type.bytes, values[i]);
  return bytes;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
