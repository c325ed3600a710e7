import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import type { ImageSet } from './image-cache.js';

// Lookup table: the same float32 values as v / 255, without a division per pixel.
const SCALE = new Float32Array(256).map((_, v) => v / 255);

/** Writes bytes into `dst` at `offset` as floats, divided by 255 when `scale`. */
function fillFloats(dst: Float32Array, offset: number, src: Uint8Array, scale: boolean): void {
  if (!scale) {
    dst.set(src, offset);
    return;
  }
  for (let i = 0; i < src.length; i++) dst[offset + i] = SCALE[src[i]!]!; // a byte indexes the 256-entry table
}

/** 8-bit images + labels → a float Dataset. */
export function bytesToDataset(
  pixels: Uint8Array,
  labels: Uint8Array,
  featureShape: number[],
  scale: boolean,
  numClasses: number,
  classNames?: string[],
): Dataset {
  const x = new Float32Array(pixels.length);
  fillFloats(x, 0, pixels, scale);
  const ds: Dataset = {
    x,
    y: new Float32Array(labels),
    numExamples: labels.length,
    featureShape: [...featureShape],
    numClasses,
  };
  if (classNames) ds.classNames = classNames;
  return ds;
}

/** Validates `limit` and returns the number of examples to take (clamped to `available`). */
export function resolveLimit(limit: number | undefined, available: number): number {
  if (limit === undefined) return available;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new DataError(`limit must be a positive integer, got ${limit}`);
  }
  return Math.min(limit, available);
}

export interface StratifiedOptions {
  split: 'train' | 'test';
  limit?: number;
  scale?: boolean;
  numClasses: number;
  /** Examples per class in the chosen split; each split is stored class by class. */
  perClass: number;
  classNames: string[];
  featureShape: number[];
}

/**
 * Selects one split of an ImageSet whose blocks are sorted by class, taking
 * the first ⌊limit/K⌋ of each class and one more for the lowest `limit mod K`
 * class ids. The result stays ordered class by class.
 */
export function selectStratified(set: ImageSet, o: StratifiedOptions): Dataset {
  if (o.split !== 'train' && o.split !== 'test') {
    throw new DataError(`split must be 'train' or 'test', got ${JSON.stringify(o.split)}`);
  }
  const K = o.numClasses;
  const f = set.featureSize;
  const blockStart = o.split === 'train' ? 0 : set.numTrain;
  const total = resolveLimit(o.limit, K * o.perClass);
  const x = new Float32Array(total * f);
  const y = new Float32Array(total);
  let out = 0;
  for (let c = 0; c < K; c++) {
    const src = blockStart + c * o.perClass;
    const n = Math.floor(total / K) + (c < total % K ? 1 : 0);
    fillFloats(x, out * f, set.pixels.subarray(src * f, (src + n) * f), o.scale ?? true);
    y.set(set.labels.subarray(src, src + n), out);
    out += n;
  }
  return { x, y, numExamples: total, featureShape: [...o.featureShape], numClasses: K, classNames: [...o.classNames] };
}
