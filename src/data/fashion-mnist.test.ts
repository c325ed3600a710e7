import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { FASHION_MNIST_CLASSES, fashionMnistCachePath, loadFashionMnist } from './fashion-mnist.js';
import { classCounts } from './dataset.js';
import type { Dataset } from './dataset.js';
import { readImageCache } from './image-cache.js';

// Each test run builds its own cache in a temp dir, so the slow JSON parse is
// measured honestly and the shared node_modules/.cache is never touched.
const cacheDir = mkdtempSync(join(tmpdir(), 'keel-fmnist-'));
const damaged = mkdtempSync(join(tmpdir(), 'keel-fmnist-bad-'));
after(() => {
  rmSync(cacheDir, { recursive: true, force: true });
  rmSync(damaged, { recursive: true, force: true });
});
let uncachedTrain: Dataset;
let uncachedTest: Dataset;
let parseMs = 0;

before(() => {
  const t0 = performance.now();
  uncachedTrain = loadFashionMnist({ split: 'train', cacheDir });
  parseMs = performance.now() - t0;
  uncachedTest = loadFashionMnist({ split: 'test', cacheDir });
});

test('60,000 train / 10,000 test, 6,000 / 1,000 per class, ordered class by class', () => {
  assert.equal(uncachedTrain.numExamples, 60000);
  assert.equal(uncachedTest.numExamples, 10000);
  assert.deepEqual(classCounts(uncachedTrain), new Array(10).fill(6000));
  assert.deepEqual(classCounts(uncachedTest), new Array(10).fill(1000));
  assert.equal(uncachedTrain.y[5999], 0);
  assert.equal(uncachedTrain.y[6000], 1);
  assert.deepEqual(uncachedTrain.featureShape, [28, 28]);
  assert.equal(uncachedTrain.x.length, 60000 * 784);
  assert.deepEqual(uncachedTrain.classNames, [...FASHION_MNIST_CLASSES]);
  assert.equal(uncachedTrain.classNames?.[9], 'Ankle boot');
  let lo = Infinity,
    hi = -Infinity;
  for (const v of uncachedTest.x) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  assert.deepEqual([lo, hi], [0, 1]);
});

test('the empty rows of 0.json (indices 1000 and 7001) are dropped before splitting', () => {
  const pkg = dirname(createRequire(import.meta.url).resolve('fashion-mnist/package.json'));
  const raw = (JSON.parse(readFileSync(join(pkg, 'src', 'clothes', '0.json'), 'utf8')) as { data: number[][] }).data;
  assert.equal(raw.length, 7002, 'the quirk this loader works around is still there');
  assert.deepEqual([raw[1000]?.length, raw[7001]?.length], [0, 0]);
  const row = (ds: Dataset, i: number) => Array.from(ds.x.subarray(784 * i, 784 * (i + 1)), (v) => Math.round(v * 255));
  assert.deepEqual(row(uncachedTrain, 999), raw[999]);
  assert.deepEqual(row(uncachedTrain, 1000), raw[1001], 'train row 1000 of class 0 is raw row 1001');
  assert.deepEqual(row(uncachedTrain, 5999), raw[6000]);
  assert.deepEqual(row(uncachedTest, 0), raw[6001], 'test = the last 1000 non-empty rows');
  assert.deepEqual(row(uncachedTest, 999), raw[7000]);
});

test('a cached load skips the JSON parse (several times faster) and equals the uncached one', () => {
  const t0 = performance.now();
  const train = loadFashionMnist({ split: 'train', cacheDir });
  const cachedMs = performance.now() - t0;
  const test = loadFashionMnist({ split: 'test', cacheDir });
  const first = `first load (JSON parse + cache write) ${parseMs.toFixed(0)} ms`;
  console.log(`# Fashion-MNIST: ${first}, cached train load ${cachedMs.toFixed(0)} ms`);
  // A ratio, not a wall-clock limit: both loads slow down alike on a busy machine
  // (idle: ~0.3 s cached vs ~2 s parsed).
  assert.ok(cachedMs < parseMs / 3, `cached load took ${cachedMs} ms vs ${parseMs} ms to parse`);
  assert.deepEqual(train.x, uncachedTrain.x);
  assert.deepEqual(train.y, uncachedTrain.y);
  assert.deepEqual(test.x, uncachedTest.x);
  assert.deepEqual(test.y, uncachedTest.y);
  const size = statSync(fashionMnistCachePath(cacheDir)).size;
  assert.equal(size, 32 + 70000 * 785, 'uint8 pixels + uint8 labels + 32-byte header');
});

test('limit is stratified: equal per class, remainder to the lowest class ids', () => {
  const ten = loadFashionMnist({ split: 'train', limit: 10, cacheDir });
  assert.deepEqual([...ten.y], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(
    ten.x.subarray(784, 1568),
    uncachedTrain.x.subarray(6000 * 784, 6001 * 784),
    'first example of each class',
  );
  const odd = loadFashionMnist({ split: 'test', limit: 25, cacheDir });
  assert.deepEqual(classCounts(odd), [3, 3, 3, 3, 3, 2, 2, 2, 2, 2]);
  assert.equal(loadFashionMnist({ split: 'test', limit: 20000, cacheDir }).numExamples, 10000);
  const raw = loadFashionMnist({ split: 'test', limit: 10, scale: false, cacheDir });
  assert.ok(raw.x.every((v) => Number.isInteger(v) && v >= 0 && v <= 255));
  assert.ok(raw.x.some((v) => v > 1));
  assert.throws(() => loadFashionMnist({ split: 'test', limit: 2.5, cacheDir }), /limit must be a positive integer/);
});

test('a corrupt cache file is detected and rebuilt', () => {
  const path = fashionMnistCachePath(damaged);
  copyFileSync(fashionMnistCachePath(cacheDir), path);
  const bytes = readFileSync(path);
  bytes[1_000_000]! ^= 0xff;
  writeFileSync(path, bytes);
  const fingerprint = new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
  assert.equal(readImageCache(path, fingerprint), 'checksum mismatch');
  const test = loadFashionMnist({ split: 'test', cacheDir: damaged });
  assert.deepEqual(test.x, uncachedTest.x);
  const rebuilt = readFileSync(path);
  assert.deepEqual(rebuilt, readFileSync(fashionMnistCachePath(cacheDir)), 'the rebuilt cache is byte-identical');
});

test('cache location: $KEEL_CACHE_DIR, else node_modules/.cache/keel next to the package', () => {
  const saved = process.env['KEEL_CACHE_DIR'];
  try {
    process.env['KEEL_CACHE_DIR'] = '/some/dir';
    assert.equal(fashionMnistCachePath(), join('/some/dir', 'fashion-mnist-v1.bin'));
    delete process.env['KEEL_CACHE_DIR'];
    assert.ok(fashionMnistCachePath().endsWith(['node_modules', '.cache', 'keel', 'fashion-mnist-v1.bin'].join(sep)));
  } finally {
    if (saved === undefined) delete process.env['KEEL_CACHE_DIR'];
    else process.env['KEEL_CACHE_DIR'] = saved;
  }
});
