import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError, encodeIdx, parseIdx, readIdx, type IdxDtype } from '../../runtime/data/index.js';
import { useTempDir } from './temp-dir.js';

const SAMPLES: Record<IdxDtype, number[]> = {
  uint8: [0, 1, 127, 128, 254, 255],
  int8: [-128, -1, 0, 1, 64, 127],
  int16: [-32768, -300, 0, 7, 300, 32767],
  int32: [-2147483648, -70000, 0, 1, 70000, 2147483647],
  float32: [-1.5, 0, 0.25, 3.5, 1e-3, 65504],
  float64: [-1e300, -0.1, 0, 0.1, Math.PI, 1e300],
};

describe('IDX reader', () => {
  const tempDir = useTempDir();

  for (const [dtype, values] of Object.entries(SAMPLES) as [IdxDtype, number[]][]) {
    for (const gzip of [false, true]) {
      it(`round-trips ${dtype}${gzip ? ' gzipped' : ''}`, async () => {
        const raw = encodeIdx(values, [3, 2], dtype);
        const path = join(tempDir(), gzip ? 'data.idx.gz' : 'data.idx');
        writeFileSync(path, gzip ? gzipSync(raw) : raw);
        const array = await readIdx(path);
        expect(array.dtype).toBe(dtype);
        expect(array.shape).toEqual([3, 2]);
        expect(array.count).toBe(3);
        const expected = dtype === 'float32' ? values.map(Math.fround) : values;
        expect(Array.from(array.data)).toEqual(expected);
      });
    }
  }

  it('writes the header as magic, type code, rank and big-endian dimensions', () => {
    const bytes = encodeIdx([1, 2, 3, 4, 5, 6], [2, 3], 'int16');
    expect(Array.from(bytes.subarray(0, 12))).toEqual([0, 0, 0x0b, 2, 0, 0, 0, 2, 0, 0, 0, 3]);
    // The values are big-endian too: 1 as int16 is 00 01.
    expect(Array.from(bytes.subarray(12, 14))).toEqual([0, 1]);
  });

  it('reads only the first items under a limit', () => {
    const array = parseIdx(encodeIdx([1, 2, 3, 4, 5, 6], [3, 2], 'uint8'), 'x.idx', 2);
    expect(array.shape).toEqual([3, 2]);
    expect(array.count).toBe(2);
    expect(Array.from(array.data)).toEqual([1, 2, 3, 4]);
  });

  it('reports a truncated file with the expected and actual byte counts', () => {
    const bytes = encodeIdx(new Array(12).fill(1), [3, 4], 'float32');
    const cut = bytes.subarray(0, bytes.length - 5);
    expect(() => parseIdx(cut, 'images.idx')).toThrow(DataError);
    expect(() => parseIdx(cut, 'images.idx')).toThrow(
      'images.idx: truncated IDX file: shape [3, 4] of float32 needs 60 bytes, found 55',
    );
  });

  it('reports a truncated header', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0]), 'a.idx')).toThrow(
      'a.idx: truncated IDX header: expected 16 bytes for 3 dimensions, found 6',
    );
  });

  it('rejects a bad magic and an unknown type code', () => {
    expect(() => parseIdx(new Uint8Array([1, 2, 8, 1, 0, 0, 0, 0]), 'a.idx')).toThrow('not an IDX file');
    expect(() => parseIdx(new Uint8Array([0, 0, 0x0a, 1, 0, 0, 0, 0]), 'a.idx')).toThrow('unknown IDX type code 0x0a');
  });

  it('rejects trailing bytes after the data', () => {
    const bytes = new Uint8Array([...encodeIdx([1, 2], [2], 'uint8'), 9]);
    expect(() => parseIdx(bytes, 'a.idx')).toThrow('1 bytes after the data');
  });

  it('reports a corrupt gzip stream', async () => {
    const path = join(tempDir(), 'bad.gz');
    writeFileSync(path, new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    await expect(readIdx(path, { name: 'bad.gz' })).rejects.toThrow('bad.gz: starts like gzip but does not inflate');
  });

  it('reports a missing file by name', async () => {
    await expect(readIdx(join(tempDir(), 'nope.idx'), { name: 'nope.idx' })).rejects.toThrow('cannot read nope.idx: ENOENT');
  });
});
