/** reshape keeps row-major values; -1 is inferred; the gradient is passed through. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reshape } from './reshape.js';
import { mul } from './elementwise.js';
import { gradcheck, project, randomVariable } from '../../test/helpers/gradcheck.js';
import { tensor } from '../tensor/tensor.js';

test('reshape: values, inferred dimension and errors', () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(reshape(x, [3, -1]).toArray(), [
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  assert.deepEqual(reshape(x, [-1]).shape, [6]);
  assert.throws(() => reshape(x, [4, -1]), /cannot reshape/);
  assert.throws(() => reshape(x, [5]), /cannot reshape/);
});

test('reshape: gradient = central differences (through a following op)', () => {
  const x = randomVariable([2, 6], 71, { name: 'x' });
  gradcheck(() => project(mul(reshape(x, [3, 4]), reshape(x, [3, 4]))), [x], { h: 1e-2 });
});
