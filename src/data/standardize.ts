import type { Dataset } from './dataset.js';
import { assertDataset, exampleOrigin, featureSize, withMeta } from './dataset.js';
import { DataError } from './errors.js';

/** Per-feature statistics; apply as (x − mean) / std. */
export interface Standardizer {
  mean: Float32Array;
  std: Float32Array;
}

/**
 * Fits per-feature mean and POPULATION standard deviation (divide by n, as
 * Keras' Normalization layer and sklearn's StandardScaler do). Fit on the
 * training set only, then apply the same standardizer to validation/test.
 *
 * A constant feature (std 0, e.g. an always-black MNIST corner pixel) gets
 * std 1 and mean equal to its value, so it maps to exactly 0 instead of NaN.
 * Sums are accumulated in float64 with two passes for accuracy.
 */
export function fitStandardizer(ds: Dataset): Standardizer {
  const n = ds.numExamples;
  const f = featureSize(ds);
  if (n === 0) throw new DataError('fitStandardizer: the data set is empty');
  assertDataset(ds); // x holds n × f values, so every index below is in range
  const sum = new Float64Array(f);
  const min = new Float64Array(f).fill(Infinity);
  const max = new Float64Array(f).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const row = i * f;
    for (let j = 0; j < f; j++) {
      const v = ds.x[row + j]!;
      sum[j]! += v;
      if (v < min[j]!) min[j] = v;
      if (v > max[j]!) max[j] = v;
    }
  }
  const mean64 = new Float64Array(f);
  for (let j = 0; j < f; j++) mean64[j] = sum[j]! / n;
  const sq = new Float64Array(f);
  for (let i = 0; i < n; i++) {
    const row = i * f;
    for (let j = 0; j < f; j++) {
      const d = ds.x[row + j]! - mean64[j]!;
      sq[j]! += d * d;
    }
  }
  const mean = new Float32Array(f);
  const std = new Float32Array(f);
  for (let j = 0; j < f; j++) {
    if (!Number.isFinite(sum[j]!) || !Number.isFinite(sq[j]!)) {
      // Name the example that breaks it: a non-finite value, else the largest in magnitude (an overflow).
      let worst = 0;
      for (let i = 0; i < n; i++) {
        const v = ds.x[i * f + j]!,
          w = ds.x[worst * f + j]!;
        if (!Number.isFinite(v) || (Number.isFinite(w) && Math.abs(v) > Math.abs(w))) worst = i;
        if (!Number.isFinite(v)) break;
      }
      const name = ds.featureNames?.[j] !== undefined ? `feature "${ds.featureNames[j]}"` : `feature ${j}`;
      const value = ds.x[worst * f + j]!;
      throw new DataError(
        `fitStandardizer: ${name} ${Number.isFinite(value) ? 'overflows float64 sums' : 'contains NaN or Infinity'}` +
          ` (value ${value} at ${exampleOrigin(ds, worst)}); rescale that column or drop the row`,
        ds.sourceFile !== undefined && ds.sourceLines !== undefined
          ? { file: ds.sourceFile, line: ds.sourceLines[worst] }
          : {},
      );
    }
    // Test "constant" exactly rather than std < eps: rounding in the mean would
    // otherwise leave a tiny nonzero std and blow constant features up.
    const constant = min[j] === max[j];
    mean[j] = constant ? min[j]! : mean64[j]!;
    std[j] = constant ? 1 : Math.sqrt(sq[j]! / n);
    if (std[j] === 0) std[j] = 1; // spread too small for float32: treat as constant
  }
  return { mean, std };
}

/** A new data set with x standardized by `s`; labels and metadata are kept. */
export function applyStandardizer(ds: Dataset, s: Standardizer): Dataset {
  const f = featureSize(ds);
  assertDataset(ds);
  if (s.mean.length !== f || s.std.length !== f) {
    throw new DataError(`applyStandardizer: standardizer has ${s.mean.length} features, data set has ${f}`);
  }
  const x = new Float32Array(ds.x.length);
  const inv = new Float64Array(f);
  for (let j = 0; j < f; j++) inv[j] = 1 / s.std[j]!;
  for (let i = 0; i < ds.numExamples; i++) {
    const row = i * f;
    for (let j = 0; j < f; j++) x[row + j] = (ds.x[row + j]! - s.mean[j]!) * inv[j]!;
  }
  const out = withMeta(ds, x, ds.y.slice(), ds.numExamples);
  if (ds.sourceLines !== undefined) out.sourceLines = ds.sourceLines;
  return out;
}
