import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, parseNpy } from '../../runtime/data/index.js';
import { encodeNpy, formatCsv, writeCsv, writeNpy } from '../../runtime/io/index.js';

describe('npy writer', () => {
  it('writes a v1.0 header padded to 64 bytes with a newline', () => {
    const bytes = encodeNpy(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(header.trimEnd()).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
    expect(header.endsWith('\n')).toBe(true);
    expect(bytes.length).toBe(10 + headerLength + 24);
  });

  it('round-trips through the reader, including one-dimensional shapes', () => {
    const data = Float32Array.from([0.1, -2, 3.5]);
    const array = parseNpy(encodeNpy(data, [3]), 'a.npy');
    expect(array.shape).toEqual([3]);
    expect(Array.from(array.data)).toEqual(Array.from(data));
  });
});

describe('csv writer', () => {
  it('writes one flattened sample per line with the shortest float32 text', () => {
    expect(formatCsv(Float32Array.from([0.1, 0.5, 1, 2]), [2, 2], ['z0', 'z1'])).toBe('z0,z1\n0.1,0.5\n1,2\n');
  });

  it('round-trips through the reader', () => {
    const data = Float32Array.from([0.1, 0.2, 1 / 3, -4, 5e-8, 6]);
    const table = parseCsv(formatCsv(data, [2, 3, 1]), 'a.csv');
    expect(Float32Array.from(table.values)).toEqual(data);
  });

  it('writes files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aelang-io-'));
    try {
      await writeNpy(join(dir, 'z.npy'), Float32Array.from([1, 2]), [1, 2]);
      await writeCsv(join(dir, 'z.csv'), Float32Array.from([1, 2]), [1, 2]);
      expect(Array.from(parseNpy(readFileSync(join(dir, 'z.npy')), 'z.npy').data)).toEqual([1, 2]);
      expect(readFileSync(join(dir, 'z.csv'), 'utf8')).toBe('1,2\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
