/**
 * Fashion-MNIST subsets as tensors for the experiments: a stratified training
 * subset, and the test split cut in two per class (first half validation, the
 * rest test), pixels / 255, optionally standardized per pixel on the training subset.
 */
import { Tensor } from '../../tensor/tensor.js';
import { loadFashionMnist } from '../../data/fashion-mnist.js';
import { fitStandardizer, applyStandardizer } from '../../data/standardize.js';
import type { Dataset } from '../../data/dataset.js';
import type { TensorSplit } from './teacher.js';

export interface FashionData {
  train: TensorSplit;
  validation: TensorSplit;
  test: TensorSplit;
  inputDim: number;
  classes: number;
}

export interface FashionOptions {
  /** Training images (stratified: the first limit/10 of each class). */
  train: number;
  /** Validation and test images each (stratified halves of the test split's first 2·n images). */
  heldOut: number;
  standardize: boolean;
}

function toSplit(ds: Dataset): TensorSplit {
  return { x: new Tensor(ds.x, [ds.numExamples, 784]), y: new Tensor(ds.y, [ds.numExamples]) };
}

/** Rows whose index within their class block is in [from, to). Blocks are class by class, `per` rows each. */
function perClassRows(ds: Dataset, per: number, from: number, to: number): Dataset {
  const rows: number[] = [];
  for (let i = 0; i < ds.numExamples; i++) {
    const k = i % per;
    if (k >= from && k < to) rows.push(i);
  }
  const x = new Float32Array(rows.length * 784),
    y = new Float32Array(rows.length);
  rows.forEach((r, j) => {
    x.set(ds.x.subarray(r * 784, (r + 1) * 784), j * 784);
    y[j] = ds.y[r]!;
  });
  return { ...ds, x, y, numExamples: rows.length };
}

export function fashionData(o: FashionOptions): FashionData {
  const per = Math.floor(o.heldOut / 10);
  const train = loadFashionMnist({ split: 'train', limit: o.train });
  const testBlock = loadFashionMnist({ split: 'test', limit: 2 * per * 10 });
  let parts = [train, perClassRows(testBlock, 2 * per, 0, per), perClassRows(testBlock, 2 * per, per, 2 * per)];
  if (o.standardize) {
    const s = fitStandardizer(train);
    parts = parts.map((d) => applyStandardizer(d, s));
  }
  return {
    train: toSplit(parts[0]!),
    validation: toSplit(parts[1]!),
    test: toSplit(parts[2]!),
    inputDim: 784,
    classes: 10,
  };
}
