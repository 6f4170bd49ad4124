import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, encodeIdx, parseDataArgument } from '../../runtime/data/index.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { useTempDir } from './temp-dir.js';

const cwd = '/work';

describe('parseDataArgument', () => {
  const tempDir = useTempDir();

  it('reads the MNIST forms, train by default', () => {
    expect(parseDataArgument('mnist', cwd)).toEqual({ kind: 'mnist', split: 'train' });
    expect(parseDataArgument('mnist:train', cwd)).toEqual({ kind: 'mnist', split: 'train' });
    expect(parseDataArgument('mnist:test', cwd)).toEqual({ kind: 'mnist', split: 'test' });
    expect(() => parseDataArgument('mnist:valid', cwd)).toThrow("unknown MNIST split 'valid'");
  });

  it('reads IDX files by extension, with an optional labels file after a comma', () => {
    expect(parseDataArgument('train-images-idx3-ubyte,train-labels-idx1-ubyte', cwd)).toEqual({
      kind: 'idx',
      images: 'train-images-idx3-ubyte',
      labels: 'train-labels-idx1-ubyte',
    });
    expect(parseDataArgument('data/x.idx.gz', cwd)).toEqual({ kind: 'idx', images: 'data/x.idx.gz' });
    expect(parseDataArgument('x.idx', cwd)).toEqual({ kind: 'idx', images: 'x.idx' });
  });

  it('reads npy and csv forms', () => {
    expect(parseDataArgument('x.npy,y.npy', cwd)).toEqual({ kind: 'npy', path: 'x.npy', labels: 'y.npy' });
    expect(parseDataArgument('d.csv', cwd)).toEqual({ kind: 'csv', path: 'd.csv' });
    expect(parseDataArgument('d.csv#label=digit', cwd)).toEqual({ kind: 'csv', path: 'd.csv', label: 'digit' });
    expect(() => parseDataArgument('d.csv#lable=digit', cwd)).toThrow("expected '#label=COLUMN'");
  });

  it('reads synthetic settings with defaults', () => {
    expect(parseDataArgument('synthetic', cwd)).toEqual({ kind: 'synthetic', samples: 1000, seed: 0 });
    expect(parseDataArgument('synthetic:samples=64,seed=7,rank=3,noise=0.1', cwd)).toEqual({
      kind: 'synthetic',
      samples: 64,
      seed: 7,
      rank: 3,
      noise: 0.1,
    });
    expect(() => parseDataArgument('synthetic:size=3', cwd)).toThrow("unknown setting 'size'");
  });

  it('forces a format with a prefix and recognises files by their magic bytes', () => {
    expect(parseDataArgument('npy:weird.bin', cwd)).toEqual({ kind: 'npy', path: 'weird.bin' });
    const dir = tempDir();
    writeFileSync(join(dir, 'images.bin'), encodeIdx([1, 2], [2], 'uint8'));
    writeFileSync(join(dir, 'arr.bin'), encodeNpy(new Float32Array(2), [2]));
    expect(parseDataArgument('images.bin', dir)).toEqual({ kind: 'idx', images: 'images.bin' });
    expect(parseDataArgument('arr.bin', dir)).toEqual({ kind: 'npy', path: 'arr.bin' });
  });

  it('rejects an unknown format, listing the accepted forms', () => {
    expect(() => parseDataArgument('photo.jpg', cwd)).toThrow(DataError);
    expect(() => parseDataArgument('photo.jpg', cwd)).toThrow("'photo.jpg': unknown data format; expected one of: mnist");
  });
});
