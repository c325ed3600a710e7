/** Helpers around `loadData()`'s tensors: standardization fitted on the training set, and a seeded split. */
import { applyStandardizer, fitStandardizer } from '../data/standardize.js';
import { shuffleIndices } from '../data/batching.js';
import { createRng } from '../data/rng.js';
import { Tensor } from '../tensor/tensor.js';
import { checkArgs, invalidArgError, type ArgSpec } from '../util/args.js';

/**
 * Per-feature standardization, (x − mean) / std, with the mean and population std of the FIRST tensor
 * (the training set) applied to every tensor given: `const [xs, xTestS] = datasets.standardize(x, xTest)`.
 * A constant feature (an always-black corner pixel) maps to 0, never to NaN. Inputs are not changed.
 */
export function standardize(train: Tensor, ...others: Tensor[]): Tensor[] {
  const f = featureCount(train, 'train');
  const asDataset = (t: Tensor) => ({
    x: t.data,
    y: new Float32Array(t.shape[0]!),
    numExamples: t.shape[0]!,
    featureShape: [f],
  });
  const s = fitStandardizer(asDataset(train));
  return [train, ...others].map((t, i) => {
    if (featureCount(t, `tensor ${i}`) !== f)
      throw invalidArgError(`tensor ${i}`, 'datasets.standardize', `${f} features per example like the first`, t.shape);
    return new Tensor(applyStandardizer(asDataset(t), s).x, t.shape);
  });
}

function featureCount(t: Tensor, name: string): number {
  if (!(t instanceof Tensor) || t.rank < 1 || t.shape[0]! < 1)
    throw invalidArgError(name, 'datasets.standardize', 'a Tensor with at least one example', t);
  return t.size / t.shape[0]!;
}

export interface SplitOptions {
  /** The right part's size: a fraction in (0, 1) or a number of examples. Default 0.2. */
  rightSize?: number;
  /** Shuffle before splitting (default true). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0). */
  seed?: number;
}

const splitSpec: ArgSpec = {
  rightSize: { type: 'number', min: 0, minExclusive: true },
  shuffle: { type: 'boolean' },
  seed: { type: 'number', integer: true },
};

/**
 * Splits examples (the first axis of `x` and `y`) in two, after Keras's `keras.utils.split_dataset`:
 * `const [[xTrain, yTrain], [xVal, yVal]] = datasets.splitDataset(x, y, { rightSize: 0.1 })`.
 * Shuffled with a seed by default, so the right part never holds only the last classes.
 */
export function splitDataset(x: Tensor, y: Tensor, options: SplitOptions = {}): [[Tensor, Tensor], [Tensor, Tensor]] {
  const where = 'datasets.splitDataset';
  const o = checkArgs(options, splitSpec, where);
  const n = x.shape[0] ?? 0;
  if (y.shape[0] !== n)
    throw invalidArgError('y', where, `${n} examples like x (shape [${x.shape.join(', ')}])`, y.shape);
  const size = o.rightSize ?? 0.2;
  const right = size < 1 ? Math.ceil(n * size) : size;
  if (!Number.isInteger(right) || right >= n)
    throw invalidArgError('rightSize', where, `a fraction in (0, 1) or a whole number of examples below ${n}`, size);
  const order =
    (o.shuffle ?? true) ? shuffleIndices(n, createRng(o.seed ?? 0)) : Uint32Array.from({ length: n }, (_v, i) => i);
  const take = (t: Tensor, from: number, to: number): Tensor => {
    const w = t.size / n;
    const out = new Float32Array((to - from) * w);
    for (let i = from; i < to; i++) out.set(t.data.subarray(order[i]! * w, (order[i]! + 1) * w), (i - from) * w);
    return new Tensor(out, [to - from, ...t.shape.slice(1)]);
  };
  const cut = n - right;
  return [
    [take(x, 0, cut), take(y, 0, cut)],
    [take(x, cut, n), take(y, cut, n)],
  ];
}
