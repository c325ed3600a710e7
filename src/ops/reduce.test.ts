/** sum and mean over everything and over each axis: values and gradients. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mean, sum } from './reduce.js';
import { gradcheck, project, randomVariable } from '../../test/helpers/gradcheck.js';
import { tensor } from '../tensor/tensor.js';

test('sum/mean values over all values and per axis', () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.equal(sum(x).item(), 21);
  assert.equal(mean(x).item(), 3.5);
  assert.deepEqual(sum(x, 0).toArray(), [5, 7, 9]);
  assert.deepEqual(sum(x, -1).toArray(), [6, 15]);
  assert.deepEqual(mean(x, 1, true).toArray(), [[2], [5]]);
  assert.deepEqual(sum(x, undefined, true).shape, [1, 1]);
  assert.throws(() => sum(x, 2), /out of range/);
});

for (const axis of [undefined, 0, 1, 2, -1]) {
  for (const keepDims of [false, true]) {
    test(`sum and mean axis=${axis} keepDims=${keepDims}: gradients = central differences`, () => {
      const x = randomVariable([2, 3, 4], 61, { name: 'x' });
      gradcheck(() => project(sum(x, axis, keepDims)), [x], { h: 1e-2 });
      gradcheck(() => project(mean(x, axis, keepDims)), [x], { h: 1e-2 });
    });
  }
}
