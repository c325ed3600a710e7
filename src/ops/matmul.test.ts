/** matmul in all four transpose combinations: values vs a float64 loop, gradients vs central differences. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matmul } from './matmul.js';
import { tensor } from '../tensor/tensor.js';
import { gradcheck, project, randomVariable } from '../../test/helpers/gradcheck.js';

for (const ta of [false, true]) {
  for (const tb of [false, true]) {
    test(`matmul transposeA=${ta} transposeB=${tb}: values and gradients`, () => {
      const m = 3,
        k = 4,
        n = 2;
      const a = randomVariable(ta ? [k, m] : [m, k], 51, { name: 'a' });
      const b = randomVariable(tb ? [n, k] : [k, n], 52, { name: 'b' });
      const y = matmul(a, b, ta, tb);
      assert.deepEqual(y.shape, [m, n]);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a.data[ta ? p * m + i : i * k + p]! * b.data[tb ? j * k + p : p * n + j]!;
          assert.ok(Math.abs(y.data[i * n + j]! - s) < 1e-5, `y[${i},${j}] = ${y.data[i * n + j]}, expected ${s}`);
        }
      }
      gradcheck(() => project(matmul(a, b, ta, tb)), [a, b], { h: 1e-2 });
    });
  }
}

test('matmul: the documented example and shape errors', () => {
  assert.deepEqual(matmul(tensor([[1, 2]]), tensor([[3], [4]])).toArray(), [[11]]);
  assert.throws(() => matmul(tensor([[1, 2]]), tensor([[3, 4]])), /inner dimensions/);
  assert.throws(() => matmul(tensor([1, 2]), tensor([[3], [4]])), /rank-2/);
});
