// The safetensors format (huggingface/safetensors), so PyTorch reads our weights with
// `safetensors.torch.load_file`:
//   8 bytes   N, the header length, little-endian uint64
//   N bytes   a JSON object: {"__metadata__": {string: string}, "<name>": {"dtype": "F32",
//             "shape": [...], "data_offsets": [begin, end]}, ...}, padded with spaces so that the
//             data starts at a multiple of 8
//   the rest  the tensors' bytes, little-endian, C order, back to back; offsets are relative to here
// We write tensors sorted by name, so the same weights always give the same bytes. Reading checks
// everything the reference implementation checks and names the file and tensor that is wrong.

import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { CheckpointError } from './errors.js';
import { writeFileAtomic } from './run-dir.js';
import type { RunFiles } from './run-files.js';
import { fileErrorReason } from '../file-error-reason.js';

export type TensorDtype = 'F32' | 'I32';

export interface StoredTensor {
  dtype: TensorDtype;
  shape: number[];
  data: Float32Array | Int32Array;
}

export type TensorMap = Record<string, StoredTensor>;

const BYTES_PER_ELEMENT: Record<TensorDtype, number> = { F32: 4, I32: 4 };
/** The reference reader refuses headers above 100 MB; so do we. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';

if (endianness() !== 'LE') {
  // Typed arrays use the host's byte order and safetensors is little-endian.
  throw new Error('safetensors: this runtime needs a little-endian host');
}

export function encodeSafetensors(tensors: TensorMap, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') throw new TypeError(`safetensors metadata '${key}' must be a string`);
    }
    header[METADATA_KEY] = metadata;
  }
  let offset = 0;
  for (const name of names) {
    if (name === METADATA_KEY) throw new TypeError(`'${METADATA_KEY}' cannot name a tensor`);
    const { dtype, shape, data } = tensors[name];
    checkTensor(name, dtype, shape, data);
    const bytes = data.length * BYTES_PER_ELEMENT[dtype];
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let position = 8 + headerLength;
  for (const name of names) {
    const { data } = tensors[name];
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), position);
    position += data.byteLength;
  }
  return out;
}

export function decodeSafetensors(bytes: Uint8Array, file = 'checkpoint'): { tensors: TensorMap; metadata: Record<string, string> } {
  const fail = (message: string): never => {
    throw new CheckpointError(`${file}: ${message}`);
  };
  if (bytes.length < 8) fail(`too short for a safetensors file (${bytes.length} bytes)`);
  const declared = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES)) fail(`header length ${declared} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const headerLength = Number(declared);
  if (8 + headerLength > bytes.length) fail(`header length ${headerLength} runs past the end of the file (${bytes.length} bytes)`);

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    fail(`the header is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('the header is not a JSON object');
  const entries = header as Record<string, unknown>;

  const metadata = readMetadata(entries[METADATA_KEY], fail);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const layout = Object.entries(entries)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, info]) => readTensorInfo(name, info, fail))
    .sort((a, b) => a.begin - b.begin || a.end - b.end);

  const tensors: TensorMap = {};
  let expectedBegin = 0;
  for (const { name, dtype, shape, begin, end } of layout) {
    if (begin !== expectedBegin) {
      fail(`tensor '${name}' starts at byte ${begin}, expected ${expectedBegin} (data must be contiguous, without gaps or overlaps)`);
    }
    if (end > dataLength) fail(`tensor '${name}' ends at byte ${end}, past the ${dataLength} bytes of data`);
    const elements = shape.reduce((n, d) => n * d, 1);
    const expectedBytes = elements * BYTES_PER_ELEMENT[dtype];
    if (end - begin !== expectedBytes) {
      fail(`tensor '${name}' has ${end - begin} bytes, but ${dtype} shape [${shape.join(', ')}] needs ${expectedBytes}`);
    }
    // Copy into a fresh buffer: the data may sit at an offset not aligned for 4-byte typed arrays,
    // and a Node Buffer's slice would be a view into a shared pool.
    const copy = new Uint8Array(bytes.subarray(dataStart + begin, dataStart + end));
    const data = dtype === 'F32' ? new Float32Array(copy.buffer) : new Int32Array(copy.buffer);
    tensors[name] = { dtype, shape, data };
    expectedBegin = end;
  }
  if (expectedBegin !== dataLength) fail(`${dataLength - expectedBegin} bytes after the last tensor are not described by the header`);
  return { tensors, metadata };
}

export async function writeSafetensors(path: string, tensors: TensorMap, metadata?: Record<string, string>, files?: RunFiles): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata), files);
}

export async function readSafetensors(path: string): Promise<{ tensors: TensorMap; metadata: Record<string, string> }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CheckpointError(`cannot read ${path}: ${fileErrorReason(error)}`);
  }
  return decodeSafetensors(bytes, path);
}

function checkTensor(name: string, dtype: TensorDtype, shape: number[], data: Float32Array | Int32Array): void {
  if (!(dtype in BYTES_PER_ELEMENT)) throw new TypeError(`tensor '${name}': unsupported dtype '${dtype}' (F32 or I32)`);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) throw new TypeError(`tensor '${name}': bad shape [${shape.join(', ')}]`);
  const expected = dtype === 'F32' ? Float32Array : Int32Array;
  if (!(data instanceof expected)) throw new TypeError(`tensor '${name}': ${dtype} data must be a ${expected.name}`);
  const elements = shape.reduce((n, d) => n * d, 1);
  if (elements !== data.length) {
    throw new TypeError(`tensor '${name}': shape [${shape.join(', ')}] holds ${elements} values, data has ${data.length}`);
  }
}

function readMetadata(value: unknown, fail: (message: string) => never): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`'${METADATA_KEY}' must be an object of strings`);
  for (const [key, item] of Object.entries(value as object)) {
    if (typeof item !== 'string') fail(`metadata '${key}' is not a string`);
  }
  return { ...(value as Record<string, string>) };
}

interface TensorInfo {
  name: string;
  dtype: TensorDtype;
  shape: number[];
  begin: number;
  end: number;
}

function readTensorInfo(name: string, info: unknown, fail: (message: string) => never): TensorInfo {
  if (typeof info !== 'object' || info === null || Array.isArray(info)) fail(`tensor '${name}': entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof dtype !== 'string') fail(`tensor '${name}': missing dtype`);
  if (!(dtype as string in BYTES_PER_ELEMENT)) fail(`tensor '${name}': dtype '${dtype}' is not supported (F32 or I32)`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`tensor '${name}': shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail(`tensor '${name}': data_offsets must be [begin, end], got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as number[];
  if (end < begin) fail(`tensor '${name}': data_offsets [${begin}, ${end}] end before they begin`);
  return { name, dtype: dtype as TensorDtype, shape: shape as number[], begin, end };
}
