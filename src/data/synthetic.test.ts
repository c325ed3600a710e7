import { test } from 'node:test';
import assert from 'node:assert/strict';
import { circles, gaussianBlobs, spirals, teacherTask } from './synthetic.js';
import { classCounts } from './dataset.js';

test('every generator is deterministic for a seed and changes with it', () => {
  const gens = [
    (seed: number) => spirals({ n: 150, classes: 3, noise: 0.2, seed }),
    (seed: number) => circles({ n: 100, noise: 0.05, factor: 0.5, seed }),
    (seed: number) => gaussianBlobs({ n: 90, centers: 3, dim: 4, seed }),
    (seed: number) => teacherTask({ seed, numExamples: 200, numTrain: 150 }).train,
  ];
  for (const g of gens) {
    const a = g(1),
      b = g(1),
      c = g(2);
    assert.deepEqual(a.x, b.x);
    assert.deepEqual(a.y, b.y);
    assert.notDeepEqual(a.x, c.x);
  }
});

test('spirals: n points, K balanced interleaved classes, radius in [0, 1]', () => {
  const ds = spirals({ n: 300, classes: 3, noise: 0.2, seed: 0 });
  assert.equal(ds.numExamples, 300);
  assert.deepEqual(ds.featureShape, [2]);
  assert.deepEqual(classCounts(ds), [100, 100, 100]);
  assert.deepEqual([...ds.y.subarray(0, 6)], [0, 1, 2, 0, 1, 2]);
  for (let i = 0; i < 300; i++) assert.ok(Math.hypot(ds.x[2 * i]!, ds.x[2 * i + 1]!) <= 1 + 1e-6);
  // Without noise, arm k at radius r sits at angle 4k + 4r exactly.
  const clean = spirals({ n: 30, classes: 3, noise: 0, seed: 0 });
  const i = 3 * 5 + 1; // class 1, 6th point of its arm
  const r = 5 / 9;
  assert.ok(Math.abs(clean.x[2 * i]! - r * Math.sin(4 + 4 * r)) < 1e-6);
});

test('circles: without noise the classes lie on radius 1 and factor', () => {
  const ds = circles({ n: 200, noise: 0, factor: 0.3, seed: 5 });
  assert.deepEqual(classCounts(ds), [100, 100]);
  for (let i = 0; i < 200; i++) {
    const r = Math.hypot(ds.x[2 * i]!, ds.x[2 * i + 1]!);
    assert.ok(Math.abs(r - (ds.y[i] === 0 ? 1 : 0.3)) < 1e-6);
  }
  assert.throws(() => circles({ factor: 1 }), /factor must be in \(0, 1\)/);
});

test('gaussianBlobs: cluster means near their centers, spread near clusterStd', () => {
  const ds = gaussianBlobs({ n: 3000, centers: 3, dim: 2, clusterStd: 0.5, seed: 9 });
  assert.deepEqual(classCounts(ds), [1000, 1000, 1000]);
  for (let k = 0; k < 3; k++) {
    const pts: number[] = [];
    for (let i = k; i < 3000; i += 3) pts.push(ds.x[2 * i]!);
    const m = pts.reduce((a, b) => a + b) / pts.length;
    const sd = Math.sqrt(pts.reduce((a, b) => a + (b - m) ** 2, 0) / pts.length);
    assert.ok(Math.abs(m) <= 10.1, 'center inside the box');
    assert.ok(Math.abs(sd - 0.5) < 0.05, `sd ${sd}`);
  }
});

test('teacherTask: 3000/1000 rows of 32 features, 4 classes, labels = argmax of the teacher', () => {
  const { train, validation, teacher } = teacherTask({ seed: 0 });
  assert.equal(train.numExamples, 3000);
  assert.equal(validation.numExamples, 1000);
  assert.deepEqual(train.featureShape, [32]);
  assert.equal(train.numClasses, 4);
  assert.equal(teacher.w1.length, 32 * 64);
  assert.equal(teacher.w2.length, 64 * 4);
  // Every class is present in both parts.
  for (const c of classCounts(train)) assert.ok(c > 100, `train counts ${classCounts(train)}`);
  for (const c of classCounts(validation)) assert.ok(c > 30, `validation counts ${classCounts(validation)}`);
  // Recompute a few labels independently from the returned weights.
  for (const i of [0, 1, 999, 2999]) {
    const x = train.x.subarray(32 * i, 32 * i + 32);
    const h = Array.from({ length: 64 }, (_, j) =>
      Math.tanh(x.reduce((s, v, d) => s + v * teacher.w1[d * 64 + j]!, 0) / Math.sqrt(32)),
    );
    const logits = [0, 1, 2, 3].map((k) => h.reduce((s, v, j) => s + v * teacher.w2[j * 4 + k]!, 0));
    assert.equal(train.y[i], logits.indexOf(Math.max(...logits)));
  }
  // Inputs are standard normal.
  let m = 0,
    v = 0;
  for (const a of train.x) m += a / train.x.length;
  for (const a of train.x) v += (a - m) ** 2 / train.x.length;
  assert.ok(Math.abs(m) < 0.02 && Math.abs(v - 1) < 0.02);
});
