import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { loadMnist } from './mnist.js';
import { parseIdx } from './idx.js';
import { classCounts } from './dataset.js';
import { DataError } from './errors.js';

test('MNIST train: 60,000 images of 28×28 with the published per-digit counts', () => {
  const ds = loadMnist({ split: 'train' });
  assert.equal(ds.numExamples, 60000);
  assert.deepEqual(ds.featureShape, [28, 28]);
  assert.equal(ds.x.length, 60000 * 784);
  assert.equal(ds.numClasses, 10);
  // Per-digit counts of the original MNIST training set.
  assert.deepEqual(classCounts(ds), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  assert.deepEqual([...ds.y.subarray(0, 10)], [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  let lo = Infinity,
    hi = -Infinity;
  for (const v of ds.x) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  assert.deepEqual([lo, hi], [0, 1]);
});

test('MNIST test: 10,000 images; limit takes a file-order prefix; scale: false keeps 0..255', () => {
  const ds = loadMnist({ split: 'test' });
  assert.equal(ds.numExamples, 10000);
  assert.deepEqual(classCounts(ds), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  const small = loadMnist({ split: 'test', limit: 100, scale: false });
  assert.equal(small.numExamples, 100);
  assert.deepEqual(small.y, ds.y.subarray(0, 100));
  assert.ok(
    classCounts(small).every((c) => c > 0),
    'the first 100 contain every digit',
  );
  for (let i = 0; i < small.x.length; i++) {
    assert.ok(Number.isInteger(small.x[i]));
    assert.ok(Math.abs(small.x[i]! / 255 - ds.x[i]!) < 1e-6);
  }
  assert.equal(loadMnist({ split: 'test', limit: 10 ** 6 }).numExamples, 10000, 'limit is clamped');
  assert.throws(() => loadMnist({ split: 'test', limit: 0 }), /limit must be a positive integer/);
  assert.throws(() => loadMnist({ split: 'val' as 'test' }), /split must be 'train' or 'test'/);
});

/** A tiny IDX file: magic, sizes, data. */
function idx(magic: number, sizes: number[], data: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * sizes.length + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, magic);
  sizes.forEach((s, i) => v.setUint32(4 + 4 * i, s));
  out.set(data, 4 + 4 * sizes.length);
  return out;
}

test('parseIdx reads plain and gzipped files', () => {
  const raw = idx(0x0803, [2, 1, 2], [1, 2, 3, 4]);
  for (const bytes of [raw, new Uint8Array(gzipSync(raw))]) {
    const a = parseIdx(bytes, 'f', 3);
    assert.deepEqual(a.shape, [2, 1, 2]);
    assert.deepEqual([...a.data], [1, 2, 3, 4]);
  }
});

test('parseIdx rejects bad magic numbers, truncation and corrupt gzip, naming the file', () => {
  const isData = (re: RegExp) => (e: unknown) =>
    e instanceof DataError && e.message.startsWith('imgs: ') && re.test(e.message);
  assert.throws(
    () => parseIdx(idx(0x0801, [3], [1, 2, 3]), 'imgs', 3),
    isData(/bad IDX magic number 0x00000801, expected 0x00000803/),
  );
  assert.throws(() => parseIdx(idx(0x0d03, [1, 1, 1], [1]), 'imgs', 3), isData(/magic/));
  assert.throws(
    () => parseIdx(idx(0x0803, [2, 2, 2], [1, 2, 3]), 'imgs', 3),
    isData(/header says \[2, 2, 2\] = 8 bytes of data, file has 3/),
  );
  assert.throws(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0]), 'imgs', 3), isData(/header truncated/));
  assert.throws(() => parseIdx(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), 'imgs', 3), isData(/gzip data is corrupt/));
});
