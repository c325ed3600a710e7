/** PReLU op: gradients w.r.t. x and the per-feature slopes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prelu } from './prelu.js';
import { gradcheck, project, randomVariable } from '../../test/helpers/gradcheck.js';

test('prelu: gradients w.r.t. x and alpha = central differences', () => {
  const x = randomVariable([6, 4], 41, { name: 'x' });
  const alpha = randomVariable([4], 42, { scale: 0.3, offset: 0.2, name: 'alpha' });
  gradcheck(() => project(prelu(x, alpha)), [x, alpha], {
    h: 1e-3,
    skip: (v, i) => v === 0 && Math.abs(x.data[i]!) < 1e-2,
  });
});

test('prelu: x for x > 0, alpha·x otherwise, alpha broadcast per feature', () => {
  const x = randomVariable([2, 2], 43);
  x.data.set([1, -2, -3, 4]);
  const alpha = randomVariable([2], 44);
  alpha.data.set([0.5, 0.25]);
  assert.deepEqual(Array.from(prelu(x, alpha).data), [1, -0.5, -1.5, 4]);
});
