/**
 * `datasets.*.loadData()`: Keras's `keras.datasets.*.load_data()` for Keel, returning tensors.
 *
 *   const [[x, y], [xTest, yTest]] = datasets.fashionMnist.loadData();
 *
 * Differences from Keras, all on purpose for a first run that works:
 * - pixels are scaled to [0, 1] (`scale: false` keeps Keras's 0..255);
 * - each example is flattened to [784] for Dense networks; `shape` asks for another per-example
 *   shape with the same 784 values ([28, 28] for a sequence of rows, [28, 28, 1] for an image);
 * - both splits are shuffled with a fixed seed (`seed`, default 0), so `validationSplit` holds
 *   every class: the files behind the Fashion-MNIST loader are stored class by class.
 */
import type { Dataset } from '../data/dataset.js';
import { takeRows, shuffleIndices } from '../data/batching.js';
import { createRng } from '../data/rng.js';
import { Tensor } from '../tensor/tensor.js';
import { checkArgs, invalidArgError, type ArgSpec } from '../util/args.js';

/** `[[x, y], [xTest, yTest]]`, as Keras's `(x_train, y_train), (x_test, y_test)`. */
export type DataSplits = [[Tensor, Tensor], [Tensor, Tensor]];

export interface LoadDataOptions {
  /** Seed of the shuffle of both splits (default 0: the same order every time). */
  seed?: number;
  /** Shuffle the splits (default true). `false` keeps the files' order (class by class for Fashion-MNIST). */
  shuffle?: boolean;
  /** Take this many training examples (every class represented, see the loader). */
  limit?: number;
  /** Take this many test examples. */
  testLimit?: number;
  /** Divide pixels by 255 into [0, 1] (default true); false keeps 0..255 as Keras does. */
  scale?: boolean;
  /** Shape of one example (default [784]); its size must be 784: [28, 28] or [28, 28, 1]. */
  shape?: number[];
}

export const loadDataArgSpec: ArgSpec = {
  seed: { type: 'number', integer: true },
  shuffle: { type: 'boolean' },
  limit: { type: 'number', integer: true, min: 1 },
  testLimit: { type: 'number', integer: true, min: 1 },
  scale: { type: 'boolean' },
  shape: { type: 'any' },
};

/** One data set's loader, as `keras.datasets.<name>`. */
export interface DatasetLoader {
  /** The class names, index = label. */
  readonly classNames: readonly string[];
  loadData(options?: LoadDataOptions): DataSplits;
}

type SplitLoader = (split: 'train' | 'test', limit: number | undefined, scale: boolean) => Dataset;

export function makeLoader(name: string, classNames: readonly string[], load: SplitLoader): DatasetLoader {
  return {
    classNames,
    loadData(options: LoadDataOptions = {}): DataSplits {
      const where = `datasets.${name}.loadData`;
      const o = checkArgs(options, loadDataArgSpec, where);
      const shape = exampleShape(o.shape, where);
      const scale = o.scale ?? true;
      const seed = o.seed ?? 0;
      const splits = (['train', 'test'] as const).map((split, i) => {
        let ds = load(split, split === 'train' ? o.limit : o.testLimit, scale);
        // Each split gets its own stream so that a different testLimit never reorders train.
        if (o.shuffle ?? true) ds = takeRows(ds, shuffleIndices(ds.numExamples, createRng(seed * 2 + i)));
        return toTensors(ds, shape);
      });
      return [splits[0]!, splits[1]!];
    },
  };
}

function exampleShape(shape: unknown, where: string): number[] {
  if (shape === undefined) return [784];
  const ok =
    Array.isArray(shape) &&
    shape.length > 0 &&
    shape.every((d) => Number.isInteger(d) && d > 0) &&
    shape.reduce((a: number, d: number) => a * d, 1) === 784;
  if (!ok)
    throw invalidArgError(
      'shape',
      where,
      'the shape of one example, of size 784',
      shape,
      'use [784] (Dense, the default), [28, 28] (rows as a sequence) or [28, 28, 1] (an image with one channel)',
    );
  return [...(shape as number[])];
}

function toTensors(ds: Dataset, shape: number[]): [Tensor, Tensor] {
  return [new Tensor(ds.x, [ds.numExamples, ...shape]), new Tensor(ds.y, [ds.numExamples])];
}
