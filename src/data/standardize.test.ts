import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStandardizer, fitStandardizer } from './standardize.js';
import type { Dataset } from './dataset.js';
import { gaussianBlobs } from './synthetic.js';

const ds = (rows: number[][], y?: number[]): Dataset => ({
  x: Float32Array.from(rows.flat()),
  y: Float32Array.from(y ?? rows.map(() => 0)),
  numExamples: rows.length,
  featureShape: [rows[0]?.length ?? 0],
});

test('fits per-feature mean and population std', () => {
  // Feature 0: 1, 2, 3, 4 → mean 2.5, population variance 1.25. Feature 1: 10, 10, 10, 30 → mean 15, var 75.
  const s = fitStandardizer(
    ds([
      [1, 10],
      [2, 10],
      [3, 10],
      [4, 30],
    ]),
  );
  assert.deepEqual([...s.mean], [2.5, 15]);
  assert.ok(Math.abs(s.std[0]! - Math.sqrt(1.25)) < 1e-6);
  assert.ok(Math.abs(s.std[1]! - Math.sqrt(75)) < 1e-5);
});

test('standardized training data has mean 0 and std 1 per feature', () => {
  const train = gaussianBlobs({ n: 2000, dim: 5, seed: 1 });
  const z = applyStandardizer(train, fitStandardizer(train));
  for (let j = 0; j < 5; j++) {
    let m = 0,
      v = 0;
    for (let i = 0; i < z.numExamples; i++) m += z.x[i * 5 + j]! / z.numExamples;
    for (let i = 0; i < z.numExamples; i++) v += (z.x[i * 5 + j]! - m) ** 2 / z.numExamples;
    assert.ok(Math.abs(m) < 1e-5, `mean ${m}`);
    assert.ok(Math.abs(v - 1) < 1e-4, `var ${v}`);
  }
  assert.deepEqual(z.y, train.y);
  assert.equal(z.numClasses, train.numClasses);
});

test('constant features get std 1 and map to exactly 0 (no NaN)', () => {
  const train = ds([
    [0.1, 5],
    [0.1, 7],
    [0.1, 9],
  ]);
  const s = fitStandardizer(train);
  assert.equal(s.std[0], 1);
  const z = applyStandardizer(train, s);
  assert.deepEqual([z.x[0], z.x[2], z.x[4]], [0, 0, 0]);
});

test('fit on train, apply to test uses the TRAIN statistics', () => {
  const train = ds([[0], [2]]); // mean 1, std 1
  const test = ds([[5], [1]]);
  const z = applyStandardizer(test, fitStandardizer(train));
  assert.deepEqual([...z.x], [4, 0]);
  assert.throws(() => applyStandardizer(ds([[1, 2]]), fitStandardizer(train)), /1 features, data set has 2/);
});

test('rejects NaN and empty data', () => {
  assert.throws(() => fitStandardizer(ds([[1], [NaN]])), /feature 0 contains NaN/);
  assert.throws(
    () => fitStandardizer({ x: new Float32Array(0), y: new Float32Array(0), numExamples: 0, featureShape: [3] }),
    /empty/,
  );
});
