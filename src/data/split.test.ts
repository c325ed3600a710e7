import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomSplit, rowRange, validationSplit } from './split.js';
import { spirals } from './synthetic.js';
import { createRng } from './rng.js';
import type { Dataset } from './dataset.js';

function seq(n: number): Dataset {
  const x = Float32Array.from({ length: 2 * n }, (_, k) => k);
  const y = Float32Array.from({ length: n }, (_, i) => i);
  return { x, y, numExamples: n, featureShape: [2] };
}

test('validationSplit takes the LAST fraction, in order, like Keras', () => {
  const { train, validation } = validationSplit(seq(10), 0.2);
  assert.equal(train.numExamples, 8);
  assert.equal(validation.numExamples, 2);
  assert.deepEqual([...train.y], [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual([...validation.y], [8, 9]);
  assert.deepEqual([...validation.x], [16, 17, 18, 19]);
});

test('split point is floor(n × (1 − fraction)) as in Keras', () => {
  // Keras: split_at = int(math.floor(n * (1.0 - validation_split)))
  for (const [n, f] of [
    [7, 0.3],
    [100, 0.15],
    [3, 0.5],
    [60000, 0.1],
  ] as const) {
    const { train, validation } = validationSplit(seq(n), f);
    assert.equal(train.numExamples, Math.floor(n * (1 - f)));
    assert.equal(train.numExamples + validation.numExamples, n);
  }
});

test('validationSplit rejects bad fractions and splits that leave a side empty', () => {
  assert.throws(() => validationSplit(seq(10), 0), /fraction must be in \(0, 1\)/);
  assert.throws(() => validationSplit(seq(10), 1), /fraction/);
  assert.throws(() => validationSplit(seq(10), NaN), /fraction/);
  assert.throws(() => validationSplit(seq(1), 0.5), /not enough to split/);
  assert.throws(() => validationSplit(seq(2), 0.9), /0 train \/ 2 validation/);
  // floor() always leaves at least one validation example: 10 × 0.99 → 9 train.
  assert.equal(validationSplit(seq(10), 0.01).validation.numExamples, 1);
});

test('rowRange returns views and checks bounds', () => {
  const ds = seq(4);
  const r = rowRange(ds, 1, 3);
  assert.deepEqual([...r.x], [2, 3, 4, 5]);
  assert.equal(r.x.buffer, ds.x.buffer);
  assert.throws(() => rowRange(ds, 2, 5), /not a valid range/);
});

test('randomSplit: a generated set is shuffled before the cut, so the test rows span the whole set', () => {
  const all = spirals({ n: 600, seed: 1 });
  const { train, test: held } = randomSplit(all, 0.2, createRng(5));
  assert.equal(train.numExamples, 480);
  assert.equal(held.numExamples, 120);
  // Spiral radius grows with the row index: a tail split would hold only the outer ends.
  const radius = (ds: typeof all, i: number) => Math.hypot(ds.x[2 * i]!, ds.x[2 * i + 1]!);
  const radii = Array.from({ length: held.numExamples }, (_v, i) => radius(held, i));
  assert.ok(Math.min(...radii) < 0.3 && Math.max(...radii) > 0.9, 'test rows come from the inner and the outer parts');
  const again = randomSplit(all, 0.2, createRng(5));
  assert.deepEqual(again.test.x, held.x, 'seeded: the same split every time');
});
