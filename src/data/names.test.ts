import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadNames, nameSequences } from './names.js';

test('loadNames: the two @stdlib lists, lowercased and merged once', () => {
  const female = loadNames('female'),
    male = loadNames('male'),
    all = loadNames();
  assert.equal(female.length, 4944); // 4,951 lines, 7 of them twice in another case (Ann, ann)
  assert.equal(male.length, 3897);
  assert.equal(all.length, 8422);
  assert.equal(all.length, new Set([...female, ...male]).size);
  assert.ok(all.length < female.length + male.length, 'some names are in both lists');
  assert.ok(all.includes('aaren') && all.every((n) => n === n.toLowerCase()));
  assert.throws(() => loadNames('other' as never), /'female', 'male' or 'all'/);
});

test('nameSequences: every position of .name. with its padded context, ids in the vocabulary', () => {
  const ds = nameSequences(['ann', 'bo'], { context: 3, seed: null });
  assert.deepEqual(ds.vocabulary, ['.', 'a', 'b', 'n', 'o']);
  assert.equal(ds.numExamples, 4 + 3);
  assert.deepEqual(ds.featureShape, [3]);
  // ann: '...'→a, '..a'→n, '.an'→n, 'ann'→.
  assert.deepEqual(Array.from(ds.x.subarray(0, 12)), [0, 0, 0, 0, 0, 1, 0, 1, 3, 1, 3, 3]);
  assert.deepEqual(Array.from(ds.y), [1, 3, 3, 0, 2, 4, 0]);
  // Shuffled with a seed: the same rows (as pairs) in another order, the same for the same seed.
  const a = nameSequences(['ann', 'bo'], { context: 3, seed: 5 });
  const rows = (d: typeof ds) =>
    Array.from({ length: d.numExamples }, (_v, i) => [...d.x.subarray(i * 3, i * 3 + 3), d.y[i]].join(',')).sort();
  assert.deepEqual(rows(a), rows(ds));
  assert.deepEqual(nameSequences(['ann', 'bo'], { context: 3, seed: 5 }).y, a.y);
  assert.throws(() => nameSequences(['x'], { context: 0 }), /context must be a positive integer/);
});
