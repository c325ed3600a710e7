import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addingProblem, copyMemory } from './sequences.js';

test('addingProblem: two markers, one per half, target = their values summed; seeded', () => {
  const d = addingProblem({ n: 50, length: 20, seed: 3 });
  assert.deepEqual(d.featureShape, [20, 2]);
  let mean = 0;
  for (let i = 0; i < d.numExamples; i++) {
    const marks: number[] = [];
    let sum = 0;
    for (let t = 0; t < 20; t++) {
      const v = d.x[i * 40 + 2 * t]!,
        m = d.x[i * 40 + 2 * t + 1]!;
      assert.ok(v >= 0 && v < 1);
      if (m === 1) {
        marks.push(t);
        sum += v;
      } else assert.equal(m, 0);
    }
    assert.equal(marks.length, 2);
    assert.ok(marks[0]! < 10 && marks[1]! >= 10);
    assert.ok(Math.abs(d.y[i]! - sum) < 1e-6);
    mean += d.y[i]! / d.numExamples;
  }
  assert.ok(Math.abs(mean - 1) < 0.2, `E[target] = 1; got ${mean}`);
  assert.deepEqual(addingProblem({ n: 50, length: 20, seed: 3 }).x, d.x);
  assert.notDeepEqual(addingProblem({ n: 50, length: 20, seed: 4 }).x, d.x);
});

test('copyMemory: one-hot steps; the label is the symbol the cue position asks for', () => {
  const S = 4,
    delay = 6,
    A = 5;
  const d = copyMemory({ n: 40, symbols: S, delay, alphabet: A, seed: 1 });
  const T = 2 * S + delay,
    C = A + 2;
  assert.deepEqual(d.featureShape, [T, C]);
  assert.equal(d.numClasses, A);
  for (let i = 0; i < d.numExamples; i++) {
    const at = (t: number) => {
      const row = Array.from(d.x.subarray((i * T + t) * C, (i * T + t + 1) * C));
      assert.equal(
        row.reduce((a, b) => a + b, 0),
        1,
      );
      return row.indexOf(1);
    };
    const cue = Array.from({ length: T }, (_, t) => t).filter((t) => at(t) === A + 1);
    assert.equal(cue.length, 1);
    const k = T - 1 - cue[0]!;
    assert.ok(k >= 0 && k < S);
    assert.equal(d.y[i], at(k) - 1);
  }
});
