import type { Dataset } from './dataset.js';
import { featureSize, withMeta } from './dataset.js';
import { DataError } from './errors.js';
import { shuffleIndices, takeRows } from './batching.js';

export interface TrainValidation {
  train: Dataset;
  validation: Dataset;
}

/**
 * Keras `validation_split` semantics: the LAST `fraction` of the examples, in
 * their current order (i.e. before any shuffling), become the validation set.
 * The split point is floor(n × (1 − fraction)), as in Keras.
 *
 * Both halves are views sharing memory with `ds` (no copy). Note that a data
 * set sorted by class (e.g. Fashion-MNIST train) must be shuffled first with
 * takeRows(ds, shuffleIndices(...)), or validation holds only the last classes.
 */
export function validationSplit(ds: Dataset, fraction: number): TrainValidation {
  if (!(fraction > 0 && fraction < 1)) {
    throw new DataError(`validationSplit: fraction must be in (0, 1), got ${fraction}`);
  }
  const n = ds.numExamples;
  const splitAt = Math.floor(n * (1 - fraction));
  if (splitAt === 0 || splitAt === n) {
    throw new DataError(
      `validationSplit: ${n} examples are not enough to split with fraction ${fraction} ` +
        `(would give ${splitAt} train / ${n - splitAt} validation)`,
    );
  }
  return { train: rowRange(ds, 0, splitAt), validation: rowRange(ds, splitAt, n) };
}

/** Rows [start, end) as a view sharing memory with `ds`. */
export function rowRange(ds: Dataset, start: number, end: number): Dataset {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > ds.numExamples || start > end) {
    throw new DataError(`rowRange: [${start}, ${end}) is not a valid range of ${ds.numExamples} examples`);
  }
  const f = featureSize(ds);
  const out = withMeta(ds, ds.x.subarray(start * f, end * f), ds.y.subarray(start, end), end - start);
  if (ds.sourceLines !== undefined) out.sourceLines = ds.sourceLines.subarray(start, end);
  return out;
}

/**
 * A random train/test split: shuffle (seeded), then the last `testFraction`
 * become the test set. For generated sets, whose rows are ordered (a spiral's
 * radius grows with the row index), a plain tail split would test on a region
 * the model never saw.
 */
export function randomSplit(ds: Dataset, testFraction: number, rng: () => number): { train: Dataset; test: Dataset } {
  const { train, validation } = validationSplit(takeRows(ds, shuffleIndices(ds.numExamples, rng)), testFraction);
  return { train, test: validation };
}
