import type { Dataset } from './dataset.js';
import { featureSize, withMeta } from './dataset.js';
import { DataError } from './errors.js';

/**
 * A random permutation of 0..n-1 (Fisher-Yates). `rng` returns uniform
 * numbers in [0, 1); pass a seeded one (see rng.ts) for reproducible order.
 */
export function shuffleIndices(n: number, rng: () => number): Uint32Array {
  checkCount(n, 'n');
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = idx[i]!;
    idx[i] = idx[j]!; // 0 ≤ j ≤ i < n
    idx[j] = t;
  }
  return idx;
}

/** A new data set holding copies of the given rows, in the given order. */
export function takeRows(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const f = featureSize(ds);
  const n = indices.length;
  const x = new Float32Array(n * f);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const i = indices[r]!; // r < indices.length
    if (!Number.isInteger(i) || i < 0 || i >= ds.numExamples) {
      throw new DataError(`takeRows: index ${i} at position ${r} is outside [0, ${ds.numExamples})`);
    }
    x.set(ds.x.subarray(i * f, (i + 1) * f), r * f);
    y[r] = ds.y[i]!; // checked above; y holds numExamples labels
  }
  const out = withMeta(ds, x, y, n);
  if (ds.sourceLines !== undefined) out.sourceLines = Int32Array.from(indices, (i) => ds.sourceLines![i]!);
  return out;
}

export interface Batch {
  /** [size, ...featureShape] row-major. */
  x: Float32Array;
  /** One label per example. */
  y: Float32Array;
  /** Number of examples in this batch (the last one may be smaller). */
  size: number;
  /** Which rows of the data set are in this batch (a view into the epoch order). */
  indices: Uint32Array;
}

export interface BatchOptions {
  /** Shuffle the order once per call (i.e. per epoch). Needs `rng`. Default false. */
  shuffle?: boolean;
  /** Uniform [0, 1) generator used when shuffling. */
  rng?: () => number;
  /** Skip a final batch smaller than batchSize. Default false (Keras keeps it). */
  dropRemainder?: boolean;
}

/**
 * Iterates over one epoch in batches. Without shuffling the batches are views
 * into `ds` (no copy); with shuffling, rows are gathered into ONE buffer that
 * is reused for every batch, so a batch is only valid until the next one is
 * requested — copy it if you need to keep it.
 */
export function* batches(ds: Dataset, batchSize: number, opts: BatchOptions = {}): Generator<Batch> {
  checkCount(batchSize, 'batchSize');
  if (batchSize === 0) throw new DataError('batchSize must be at least 1');
  const n = ds.numExamples;
  const f = featureSize(ds);
  let order: Uint32Array;
  if (opts.shuffle) {
    if (!opts.rng)
      throw new DataError('batches: shuffle needs an rng (e.g. createRng(seed)) so the order is reproducible');
    order = shuffleIndices(n, opts.rng);
  } else {
    order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
  }
  const xBuf = opts.shuffle ? new Float32Array(Math.min(batchSize, n) * f) : null;
  const yBuf = opts.shuffle ? new Float32Array(Math.min(batchSize, n)) : null;

  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    if (size < batchSize && opts.dropRemainder) return;
    const indices = order.subarray(start, start + size);
    if (xBuf === null || yBuf === null) {
      yield { x: ds.x.subarray(start * f, (start + size) * f), y: ds.y.subarray(start, start + size), size, indices };
      continue;
    }
    for (let r = 0; r < size; r++) {
      const i = indices[r]!; // a permutation of 0..n-1, r < size = indices.length
      xBuf.set(ds.x.subarray(i * f, (i + 1) * f), r * f);
      yBuf[r] = ds.y[i]!;
    }
    yield { x: xBuf.subarray(0, size * f), y: yBuf.subarray(0, size), size, indices };
  }
}

/** Number of batches `batches(ds, batchSize, opts)` yields. */
export function numBatches(numExamples: number, batchSize: number, dropRemainder = false): number {
  return dropRemainder ? Math.floor(numExamples / batchSize) : Math.ceil(numExamples / batchSize);
}

function checkCount(n: number, name: string): void {
  if (!Number.isInteger(n) || n < 0) throw new DataError(`${name} must be a non-negative integer, got ${n}`);
}
