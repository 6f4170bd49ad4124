// NumPy's .npy format: magic "\x93NUMPY", a version, a little-endian header length (2 bytes in v1,
// 4 bytes in v2/v3), a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (n, d)},
// then the raw values. We read float32, float64 and uint8 data (and integer types for labels) in
// C order; Fortran order is refused rather than silently transposed.

import { DataError, product } from './errors.js';
import type { ElementType } from './file-samples.js';
import { readDataFile } from './read-file.js';

export type NpyDtype = 'float32' | 'float64' | 'uint8' | 'int8' | 'int16' | 'int32' | 'int64';
export type NpyValues = Float32Array | Float64Array | Uint8Array | Int8Array | Int16Array | Int32Array | Float64Array;

export interface NpyArray {
  dtype: NpyDtype;
  /** The full shape from the header. */
  shape: number[];
  /** Items read along the first dimension (the limit, or all of them; 1 for a 0-d array). */
  count: number;
  data: NpyValues;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export interface NpyType {
  dtype: NpyDtype;
  bytes: number;
  read(view: DataView, offset: number, littleEndian: boolean): number;
  create(length: number): NpyValues;
}

const NPY_TYPES: Record<string, NpyType> = {
  f4: { dtype: 'float32', bytes: 4, read: (v, o, le) => v.getFloat32(o, le), create: (n) => new Float32Array(n) },
  f8: { dtype: 'float64', bytes: 8, read: (v, o, le) => v.getFloat64(o, le), create: (n) => new Float64Array(n) },
  u1: { dtype: 'uint8', bytes: 1, read: (v, o) => v.getUint8(o), create: (n) => new Uint8Array(n) },
  i1: { dtype: 'int8', bytes: 1, read: (v, o) => v.getInt8(o), create: (n) => new Int8Array(n) },
  i2: { dtype: 'int16', bytes: 2, read: (v, o, le) => v.getInt16(o, le), create: (n) => new Int16Array(n) },
  i4: { dtype: 'int32', bytes: 4, read: (v, o, le) => v.getInt32(o, le), create: (n) => new Int32Array(n) },
  // int64 labels are common (np.int64 is NumPy's default integer); they are read as doubles, exact below 2^53.
  i8: { dtype: 'int64', bytes: 8, read: (v, o, le) => Number(v.getBigInt64(o, le)), create: (n) => new Float64Array(n) },
};

export async function readNpy(path: string, options: { limit?: number; name?: string } = {}): Promise<NpyArray> {
  const name = options.name ?? path;
  const bytes = await readDataFile(path, name);
  return parseNpy(bytes, name, options.limit);
}

export function parseNpy(bytes: Uint8Array, file: string, limit?: number): NpyArray {
  const { type, littleEndian, shape, dataStart } = parseNpyHeader(bytes, file, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const items = shape.length === 0 ? 1 : shape[0];
  const count = limit === undefined ? items : Math.min(limit, items);
  const length = shape.length === 0 ? 1 : count * product(shape.slice(1));
  const data = type.create(length);
  for (let i = 0; i < length; i++) data[i] = type.read(view, dataStart + i * type.bytes, littleEndian);
  return { dtype: type.dtype, shape, count, data };
}

/** The bytes before the header's own length is known (magic, version, length). */
export const NPY_PREAMBLE = 12;

export interface NpyHeader {
  dtype: NpyDtype;
  shape: number[];
  /** Where the values start. */
  dataStart: number;
  /** How to read one stored value. */
  element: ElementType;
}

/** The header's length in bytes from the file's first NPY_PREAMBLE bytes (0 when too short to tell). */
export function npyHeaderLength(head: Uint8Array): number {
  if (head.length < 10) return 0;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head[6] === 1) return 10 + view.getUint16(8, true);
  return head.length < 12 ? 0 : 12 + view.getUint32(8, true);
}

/** Reads the header from the file's first bytes (`head`, the whole header when the file has it)
 *  and checks the data's size against the file's length. */
export function parseNpyHeader(head: Uint8Array, file: string, fileLength: number): NpyHeader & { type: NpyType; littleEndian: boolean } {
  if (fileLength < 10 || head.length < 10 || MAGIC.some((b, i) => head[i] !== b)) {
    throw new DataError(`${file}: not a .npy file (missing the \\x93NUMPY magic)`);
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const major = head[6];
  if (major < 1 || major > 3) throw new DataError(`${file}: unsupported .npy version ${major}.${head[7]}`);
  const lengthBytes = major === 1 ? 2 : 4;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (fileLength < dataStart || head.length < dataStart) {
    throw new DataError(`${file}: truncated .npy header: expected ${dataStart} bytes, found ${Math.min(fileLength, head.length)}`);
  }
  const header = new TextDecoder().decode(head.subarray(8 + lengthBytes, dataStart));
  const { descr, fortranOrder, shape } = parseHeader(header, file);
  if (fortranOrder) {
    throw new DataError(`${file}: the array is stored in Fortran order; save it in C order (np.ascontiguousarray) and retry`);
  }
  const match = /^([<>|=])([a-z]\d+)$/.exec(descr);
  const type = match ? NPY_TYPES[match[2]] : undefined;
  if (!match || !type) {
    throw new DataError(`${file}: unsupported dtype '${descr}' (supported: float32, float64, uint8, and int8/16/32/64 for labels)`);
  }
  const littleEndian = match[1] !== '>';
  const expectedBytes = dataStart + product(shape) * type.bytes;
  if (fileLength < expectedBytes) {
    throw new DataError(`${file}: truncated .npy data: shape (${shape.join(', ')}) of ${type.dtype} needs ${expectedBytes} bytes, found ${fileLength}`);
  }
  const element: ElementType = { dtype: type.dtype, bytes: type.bytes, littleEndian, read: (v, o) => type.read(v, o, littleEndian) };
  return { dtype: type.dtype, shape, dataStart, element, type, littleEndian };
}

function parseHeader(header: string, file: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new DataError(`${file}: malformed .npy header ${JSON.stringify(header.trim())}`);
  }
  const shape = shapeText
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => Number(part.replace(/L$/, '')));
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new DataError(`${file}: malformed shape (${shapeText}) in the .npy header`);
  }
  return { descr, fortranOrder: fortran === 'True', shape };
}
