import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dataset } from './dataset.js';
import { batches, numBatches, shuffleIndices, takeRows } from './batching.js';
import { createRng } from './rng.js';
import { DataError } from './errors.js';

/** Row i has features [i, 10i, 100i] and label i % 3. */
function rows(n: number): Dataset {
  const x = new Float32Array(n * 3);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x.set([i, 10 * i, 100 * i], 3 * i);
    y[i] = i % 3;
  }
  return { x, y, numExamples: n, featureShape: [3], numClasses: 3, classNames: ['a', 'b', 'c'] };
}

test('shuffleIndices is a permutation, deterministic for a seed', () => {
  const p = shuffleIndices(1000, createRng(3));
  assert.deepEqual(
    [...p].sort((a, b) => a - b),
    Array.from({ length: 1000 }, (_, i) => i),
  );
  assert.deepEqual(p, shuffleIndices(1000, createRng(3)));
  assert.notDeepEqual(p, shuffleIndices(1000, createRng(4)));
  assert.equal(shuffleIndices(0, createRng(1)).length, 0);
});

test('shuffleIndices is uniform: every position sees every value about equally often', () => {
  const rng = createRng(11);
  const counts = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
  const trials = 40_000;
  for (let t = 0; t < trials; t++) shuffleIndices(4, rng).forEach((v, pos) => counts[pos]![v]!++);
  for (const row of counts) for (const c of row) assert.ok(Math.abs(c / trials - 0.25) < 0.01, String(c));
});

test('takeRows copies rows and labels in the given order and keeps metadata', () => {
  const ds = rows(5);
  const t = takeRows(ds, [4, 0, 4]);
  assert.equal(t.numExamples, 3);
  assert.deepEqual([...t.x], [4, 40, 400, 0, 0, 0, 4, 40, 400]);
  assert.deepEqual([...t.y], [1, 0, 1]);
  assert.deepEqual(t.classNames, ['a', 'b', 'c']);
  assert.equal(t.numClasses, 3);
  t.x[0] = -1;
  assert.equal(ds.x[12], 4, 'takeRows must copy');
  assert.throws(
    () => takeRows(ds, [5]),
    (e: unknown) => e instanceof DataError && /index 5/.test(e.message),
  );
});

test('batches without shuffle are views in order, last batch smaller', () => {
  const ds = rows(10);
  const got = [...batches(ds, 4)].map((b) => ({ size: b.size, y: [...b.y], first: b.x[0], idx: [...b.indices] }));
  assert.deepEqual(
    got.map((g) => g.size),
    [4, 4, 2],
  );
  assert.deepEqual(got[2], { size: 2, y: [2, 0], first: 8, idx: [8, 9] });
  const first = batches(ds, 4).next().value!;
  assert.equal(first.x.buffer, ds.x.buffer, 'unshuffled batches should not copy');
  assert.equal([...batches(ds, 4, { dropRemainder: true })].length, 2);
  assert.equal(numBatches(10, 4), 3);
  assert.equal(numBatches(10, 4, true), 2);
});

test('shuffled batches cover every row once, match the permutation, and reuse one buffer', () => {
  const ds = rows(10);
  const seen: number[] = [];
  const buffers = new Set<ArrayBufferLike>();
  for (const b of batches(ds, 3, { shuffle: true, rng: createRng(5) })) {
    buffers.add(b.x.buffer);
    for (let r = 0; r < b.size; r++) {
      const i = b.indices[r]!;
      seen.push(i);
      assert.deepEqual([...b.x.subarray(3 * r, 3 * r + 3)], [i, 10 * i, 100 * i]);
      assert.equal(b.y[r], i % 3);
    }
  }
  assert.deepEqual(seen, [...shuffleIndices(10, createRng(5))]);
  assert.equal(buffers.size, 1);
  assert.throws(() => batches(ds, 3, { shuffle: true }).next(), /needs an rng/);
  assert.throws(() => batches(ds, 0).next(), /batchSize/);
});
