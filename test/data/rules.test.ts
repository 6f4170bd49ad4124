// The data rules of docs/data.md: the CSV header is decided by a rule on the first line (a row is
// never dropped because it failed to parse), any line ending reads, an empty data set and a
// non-finite value are refused before training with the file and sample named, and only regular
// files are read (a FIFO is refused at once).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, loadDataset, parseCsv } from '../../runtime/data/index.js';
import { isHeader } from '../../runtime/data/csv.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { imageInput } from './inputs.js';
import { useTempDir } from './temp-dir.js';

describe('CSV header rule', () => {
  it('is a header only when every field is a name or empty, and one is a name', () => {
    expect(isHeader(['x', 'y', 'label'])).toBe(true);
    expect(isHeader(['', 'a', 'b'])).toBe(true);
    expect(isHeader(['NaN', '1'])).toBe(false);
    expect(isHeader(['inf', '-Infinity'])).toBe(false);
    expect(isHeader(['', '1', '2'])).toBe(false);
    expect(isHeader(['1', '2'])).toBe(false);
    expect(isHeader(['x', '1'])).toBe(false);
    expect(isHeader([''])).toBe(false);
  });

  it('keeps a headerless first row holding a quoted number', () => {
    const table = parseCsv('"1",2\n3,4\n', 'd.csv');
    expect(table.header).toBeUndefined();
    expect(Array.from(table.values)).toEqual([1, 2, 3, 4]);
    expect(table.firstDataLine).toBe(1);
  });

  it('reports a first row holding NaN or an empty field as a bad row, not a header', () => {
    expect(() => parseCsv('NaN,1\n2,3\n', 'd.csv')).toThrow("d.csv: line 1, column 1: 'NaN' is not a number");
    expect(() => parseCsv(',1,2\n3,4,5\n', 'd.csv')).toThrow("d.csv: line 1, column 1: '' is not a number");
  });

  it('reads LF, CRLF and CR-only line endings alike', () => {
    for (const end of ['\n', '\r\n', '\r']) {
      const table = parseCsv(['a,b', '1,2', '3,4', ''].join(end), 'd.csv');
      expect(table.header).toEqual(['a', 'b']);
      expect(table.count).toBe(2);
      expect(Array.from(table.values)).toEqual([1, 2, 3, 4]);
    }
    expect(parseCsv('1,2\r3,4\r5,6', 'd.csv').firstDataLine).toBe(1);
    expect(() => parseCsv('a,b\r1,2\r3,x\r', 'd.csv')).toThrow("d.csv: line 3, column 'b'");
  });
});

describe('data sets refused before training', () => {
  const tempDir = useTempDir();

  it('refuses a 0-sample NPY file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty.npy'), encodeNpy(new Float32Array(0), [0, 4]));
    await expect(loadDataset('empty.npy', imageInput([4]), { cwd: dir })).rejects.toThrow('empty.npy: holds no samples');
  });

  it('names the file and the sample of a NaN or an Inf, with or without a declared range', async () => {
    const dir = tempDir();
    const values = new Float32Array(12).fill(0.5);
    values[9] = Number.NaN;
    writeFileSync(join(dir, 'nan.npy'), encodeNpy(values, [3, 4]));
    values[9] = 0.5;
    values[6] = Number.POSITIVE_INFINITY;
    writeFileSync(join(dir, 'inf.npy'), encodeNpy(values, [3, 4]));
    await expect(loadDataset('nan.npy', imageInput([4]), { cwd: dir })).rejects.toThrow('nan.npy: sample 3 holds NaN (value 2 of 4)');
    await expect(loadDataset('nan.npy', imageInput([4], [0, 1]), { cwd: dir })).rejects.toThrow('nan.npy: sample 3 holds NaN');
    await expect(loadDataset('inf.npy', imageInput([4]), { cwd: dir })).rejects.toThrow('inf.npy: sample 2 holds Infinity (value 3 of 4)');
  });

  it('refuses a FIFO given as data at once, by extension or by sniffing', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const started = performance.now();
    await expect(loadDataset('pipe.csv', imageInput([2]), { cwd: dir })).rejects.toThrow('cannot read pipe.csv: it is not a regular file');
    await expect(loadDataset('pipe', imageInput([2]), { cwd: dir })).rejects.toThrow(DataError);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('data too large for memory', () => {
  it('refuses synthetic(samples = 1e12) before allocating, with the estimate', async () => {
    const started = performance.now();
    await expect(loadDataset('synthetic:samples=1000000000000', imageInput([784]), { cwd: '.' })).rejects.toThrow(
      /^synthetic: 1,000,000,000,000 samples × 784 values is 3,140,000 GB as float32, more than this machine's memory/,
    );
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
