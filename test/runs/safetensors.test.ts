import { readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CheckpointError,
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  writeSafetensors,
  type TensorMap,
} from '../../runtime/runs/index.js';

const weights: TensorMap = {
  'encoder.0.dense.kernel': { dtype: 'F32', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) },
  'encoder.0.dense.bias': { dtype: 'F32', shape: [3], data: Float32Array.from([0.5, -0.5, 0]) },
  step: { dtype: 'I32', shape: [], data: Int32Array.from([42]) },
};

/** Rewrites the JSON header (keeping the data) to build corrupt files. */
function withHeader(bytes: Uint8Array, edit: (header: Record<string, any>) => void): Uint8Array {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + bytes.length - 8 - length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(bytes.subarray(8 + length), 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips F32 and I32 tensors with metadata', () => {
    const bytes = encodeSafetensors(weights, { format: 'pt', model: 'ae' });
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt', model: 'ae' });
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(weights).sort());
    for (const [name, tensor] of Object.entries(weights)) {
      expect(tensors[name].dtype).toBe(tensor.dtype);
      expect(tensors[name].shape).toEqual(tensor.shape);
      expect(Array.from(tensors[name].data)).toEqual(Array.from(tensor.data));
      expect(tensors[name].data).toBeInstanceOf(tensor.dtype === 'F32' ? Float32Array : Int32Array);
    }
  });

  it('lays out the bytes exactly as the format specifies', () => {
    const bytes = encodeSafetensors(
      { b: { dtype: 'I32', shape: [1], data: Int32Array.from([-2]) }, a: { dtype: 'F32', shape: [2], data: Float32Array.from([1, 0.5]) } },
      { format: 'pt' },
    );
    const json = '{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[1],"data_offsets":[8,12]}}';
    const padded = Math.ceil(json.length / 8) * 8;
    // 8-byte little-endian header length, counting the padding.
    const view = new DataView(bytes.buffer);
    expect(view.getBigUint64(0, true)).toBe(BigInt(padded));
    // The JSON, tensors sorted by name, then spaces up to a multiple of 8.
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + padded));
    expect(header).toBe(json.padEnd(padded, ' '));
    expect((8 + padded) % 8).toBe(0);
    // Data: little-endian, in header order, back to back.
    const dataStart = 8 + padded;
    expect(bytes.length).toBe(dataStart + 12);
    expect(view.getFloat32(dataStart, true)).toBe(1);
    expect(view.getFloat32(dataStart + 4, true)).toBe(0.5);
    expect(view.getInt32(dataStart + 8, true)).toBe(-2);
  });

  it('gives identical bytes for the same tensors in any key order', () => {
    const reordered: TensorMap = Object.fromEntries(Object.entries(weights).reverse());
    expect(encodeSafetensors(reordered)).toEqual(encodeSafetensors(weights));
  });

  it('reads tensors whose offsets are not in key order', () => {
    // Another writer may order the data differently from the JSON keys; only contiguity matters.
    const bytes = withHeader(encodeSafetensors(weights), (h) => {
      const entries = Object.entries(h);
      for (const [key] of entries) delete h[key];
      for (const [key, value] of entries.reverse()) h[key] = value;
    });
    expect(Array.from(decodeSafetensors(bytes).tensors['step'].data)).toEqual([42]);
  });

  describe('corruption', () => {
    const good = encodeSafetensors(weights);
    const decode = (bytes: Uint8Array) => () => decodeSafetensors(bytes, 'weights.safetensors');

    it('a file shorter than the length prefix', () => {
      expect(decode(good.subarray(0, 5))).toThrow(CheckpointError);
      expect(decode(good.subarray(0, 5))).toThrow('weights.safetensors: too short for a safetensors file (5 bytes)');
    });

    it('a header length past the end of the file', () => {
      const bytes = good.slice();
      new DataView(bytes.buffer).setBigUint64(0, BigInt(bytes.length), true);
      expect(decode(bytes)).toThrow('runs past the end of the file');
      new DataView(bytes.buffer).setBigUint64(0, 1n << 40n, true);
      expect(decode(bytes)).toThrow('exceeds the 100000000-byte limit');
    });

    it('a header that is not JSON', () => {
      const bytes = good.slice();
      bytes[8] = 0x5b; // '[' instead of '{'
      expect(decode(bytes)).toThrow('weights.safetensors: the header is not valid JSON');
    });

    it('truncated data, naming the tensor', () => {
      expect(decode(good.subarray(0, good.length - 4))).toThrow("tensor 'step' ends at byte 40, past the 36 bytes of data");
    });

    it('extra bytes after the last tensor', () => {
      expect(decode(new Uint8Array([...good, 0, 0, 0, 0]))).toThrow('4 bytes after the last tensor');
    });

    it('a shape that does not match the byte count', () => {
      const bytes = withHeader(good, (h) => (h['encoder.0.dense.kernel'].shape = [3, 3]));
      expect(decode(bytes)).toThrow("tensor 'encoder.0.dense.kernel' has 24 bytes, but F32 shape [3, 3] needs 36");
    });

    it('offsets with a gap or an overlap', () => {
      const bytes = withHeader(good, (h) => (h['encoder.0.dense.kernel'].data_offsets = [16, 40]));
      expect(decode(bytes)).toThrow("starts at byte 16, expected 12");
    });

    it('an unsupported dtype and malformed entries', () => {
      expect(decode(withHeader(good, (h) => (h.step.dtype = 'F16')))).toThrow("tensor 'step': dtype 'F16' is not supported");
      expect(decode(withHeader(good, (h) => (h.step.data_offsets = [36])))).toThrow("tensor 'step': data_offsets must be [begin, end]");
      expect(decode(withHeader(good, (h) => (h.__metadata__ = { n: 1 })))).toThrow("metadata 'n' is not a string");
    });
  });

  describe('files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aelang-st-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('writes atomically and reads back', async () => {
      const path = join(dir, 'weights.safetensors');
      await writeSafetensors(path, weights, { epoch: '3' });
      expect(readdirSync(dir)).toEqual(['weights.safetensors']);
      const { tensors, metadata } = await readSafetensors(path);
      expect(metadata).toEqual({ epoch: '3' });
      expect(Array.from(tensors['encoder.0.dense.kernel'].data)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('names a missing file', async () => {
      await expect(readSafetensors(join(dir, 'none.safetensors'))).rejects.toThrow(/cannot read .*none\.safetensors: ENOENT/);
    });
  });
});
