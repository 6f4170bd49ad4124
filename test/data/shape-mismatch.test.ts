import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError, encodeIdx, loadDataset } from '../../runtime/data/index.js';
import { encodeNpy } from '../../runtime/io/index.js';
import { imageInput, labelInput, valuesOf } from './inputs.js';
import { useTempDir } from './temp-dir.js';

describe('data that does not fit the model', () => {
  const tempDir = useTempDir();

  it('names the file, the sample and both shapes for IDX', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.idx'), encodeIdx(new Array(2 * 5 * 5).fill(0), [2, 5, 5], 'uint8'));
    const load = loadDataset('x.idx', imageInput([28, 28, 1], [0, 1]), { cwd: dir });
    await expect(load).rejects.toBeInstanceOf(DataError);
    await expect(loadDataset('x.idx', imageInput([28, 28, 1], [0, 1]), { cwd: dir })).rejects.toThrow(
      "x.idx: sample 1 has shape [5, 5] (25 values) but input 'x' expects [28, 28, 1] (784 values)",
    );
  });

  it('names both shapes for npy', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.npy'), encodeNpy(new Float32Array(12), [4, 3]));
    await expect(loadDataset('x.npy', imageInput([2, 2]), { cwd: dir })).rejects.toThrow(
      "x.npy: sample 1 has shape [3] (3 values) but input 'x' expects [2, 2] (4 values)",
    );
  });

  it('reshapes when the element counts match (784 ↔ [28, 28, 1]) and fills one unknown dimension', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.idx.gz'), gzipSync(encodeIdx(new Array(2 * 784).fill(255), [2, 784], 'uint8')));
    const data = await loadDataset('x.idx.gz', imageInput([28, 28, 1], [0, 1]), { cwd: dir });
    expect(data.sampleShape).toEqual([28, 28, 1]);
    expect(valuesOf(data).every((v) => v === 1)).toBe(true);
    const open = await loadDataset('x.idx.gz', imageInput([null, 28, 1], [0, 1]), { cwd: dir });
    expect(open.sampleShape).toEqual([28, 28, 1]);
  });

  it('rejects labels whose count differs from the images, naming both files', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.idx'), encodeIdx(new Array(3 * 4).fill(0), [3, 4], 'uint8'));
    writeFileSync(join(dir, 'y.idx'), encodeIdx([0, 1], [2], 'uint8'));
    await expect(loadDataset('x.idx,y.idx', imageInput([4], [0, 1]), { cwd: dir })).rejects.toThrow(
      'y.idx: holds 2 labels but x.idx holds 3 samples',
    );
  });

  it('checks labels against the classes even beyond what is read', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.idx'), encodeIdx(new Array(3 * 4).fill(0), [3, 4], 'uint8'));
    writeFileSync(join(dir, 'y.idx'), encodeIdx([0, 3, 1], [3], 'uint8'));
    await expect(loadDataset({ kind: 'idx', images: 'x.idx', labels: 'y.idx' }, imageInput([4], [0, 1]), { cwd: dir, labelsInput: labelInput(3) })).rejects.toThrow(
      "y.idx: label 2 is 3 but input 'y' has 3 classes (0..2)",
    );
  });

  it('requires labels when the model has a label input', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.idx'), encodeIdx(new Array(4).fill(0), [1, 4], 'uint8'));
    await expect(loadDataset('x.idx', imageInput([4], [0, 1]), { cwd: dir, labelsInput: labelInput(3) })).rejects.toThrow(
      "x.idx has no labels, but input 'y' needs them",
    );
  });

  it('keeps float values inside the range and rejects a bad limit', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.idx'), encodeIdx([-1, -0.5, 0.5, 1], [2, 2], 'float32'));
    const data = await loadDataset('x.idx', imageInput([2], [-1, 1]), { cwd: dir });
    expect(Array.from(valuesOf(data))).toEqual([-1, -0.5, 0.5, 1]);
    await expect(loadDataset('x.idx', imageInput([2], [-1, 1]), { cwd: dir, limit: 0 })).rejects.toThrow('positive integer');
  });
});
