import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, loadDataset, parseNpy } from '../../runtime/data/index.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { imageInput, labelInput, valuesOf } from './inputs.js';
import { npyBytes } from './npy-bytes.js';
import { useTempDir } from './temp-dir.js';

const bytesOf = (array: Float32Array | Float64Array | Uint8Array | Int32Array): Uint8Array => new Uint8Array(array.buffer);

describe('npy reader', () => {
  const tempDir = useTempDir();

  it('reads float32 (as written by our own writer)', () => {
    const array = parseNpy(encodeNpy(Float32Array.from([0.5, 0.25, 1, 0]), [2, 2]), 'a.npy');
    expect(array.dtype).toBe('float32');
    expect(array.shape).toEqual([2, 2]);
    expect(Array.from(array.data)).toEqual([0.5, 0.25, 1, 0]);
  });

  it('reads float64 and uint8', () => {
    const f8 = parseNpy(npyBytes('<f8', [3], bytesOf(Float64Array.from([0.1, 0.2, 0.3]))), 'a.npy');
    expect(f8.dtype).toBe('float64');
    expect(Array.from(f8.data)).toEqual([0.1, 0.2, 0.3]);
    const u1 = parseNpy(npyBytes('|u1', [2, 2], Uint8Array.from([0, 1, 254, 255])), 'b.npy');
    expect(u1.dtype).toBe('uint8');
    expect(Array.from(u1.data)).toEqual([0, 1, 254, 255]);
  });

  it('reads big-endian data', () => {
    const body = new Uint8Array(8);
    new DataView(body.buffer).setFloat32(0, 1.5, false);
    new DataView(body.buffer).setFloat32(4, -2, false);
    expect(Array.from(parseNpy(npyBytes('>f4', [2], body), 'a.npy').data)).toEqual([1.5, -2]);
  });

  it('refuses Fortran order with a clear message', () => {
    const bytes = npyBytes('<f4', [2, 2], bytesOf(new Float32Array(4)), true);
    expect(() => parseNpy(bytes, 'f.npy')).toThrow(DataError);
    expect(() => parseNpy(bytes, 'f.npy')).toThrow('f.npy: the array is stored in Fortran order; save it in C order');
  });

  it('refuses unsupported dtypes and truncated data', () => {
    expect(() => parseNpy(npyBytes('<c8', [1], new Uint8Array(8)), 'c.npy')).toThrow("c.npy: unsupported dtype '<c8'");
    expect(() => parseNpy(npyBytes('<f4', [4], new Uint8Array(8)), 't.npy')).toThrow('t.npy: truncated .npy data');
    expect(() => parseNpy(new Uint8Array(20), 'x.npy')).toThrow('x.npy: not a .npy file');
  });

  it('loads uint8 images with int64 labels, scaled into the input range', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.npy'), npyBytes('|u1', [2, 2, 2], Uint8Array.from([0, 255, 255, 0, 51, 51, 51, 51])));
    const labels = new BigInt64Array([1n, 0n]);
    writeFileSync(join(dir, 'y.npy'), npyBytes('<i8', [2], new Uint8Array(labels.buffer)));
    const data = await loadDataset('x.npy,y.npy', imageInput([2, 2, 1], [-1, 1]), { cwd: dir, labelsInput: labelInput(2) });
    expect(data.sampleShape).toEqual([2, 2, 1]);
    expect(Array.from(valuesOf(data))).toEqual([-1, 1, 1, -1, -0.6, -0.6, -0.6, -0.6].map(Math.fround));
    expect(Array.from(data.labels!)).toEqual([1, 0]);
  });

  it('rejects a labels file whose count differs from the samples', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.npy'), encodeNpy(new Float32Array(6), [3, 2]));
    writeFileSync(join(dir, 'y.npy'), npyBytes('<i4', [2], bytesOf(Int32Array.from([0, 1]))));
    await expect(loadDataset('x.npy,y.npy', imageInput([2]), { cwd: dir })).rejects.toThrow(
      'y.npy: holds 2 labels but x.npy holds 3 samples',
    );
  });
});
