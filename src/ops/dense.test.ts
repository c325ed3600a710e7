/** Gradient checks of the fused dense op (x·W + b then activation) for every activation code. */
import { test } from 'node:test';
import { dense } from './dense.js';
import { ActivationCode } from '../kernels/backend.js';
import { gradcheck, project, randomVariable } from '../../test/helpers/gradcheck.js';
import { ACTIVATION_CODES } from '../../test/helpers/activation-codes.js';

const CODES = ACTIVATION_CODES;

for (const [name, code, param] of CODES) {
  test(`dense + ${name}: gradients w.r.t. x, kernel and bias = central differences`, () => {
    const x = randomVariable([5, 4], 11, { name: 'x' });
    const w = randomVariable([4, 3], 12, { scale: 0.7, name: 'kernel' });
    const b = randomVariable([3], 13, { scale: 0.5, name: 'bias' });
    gradcheck(() => project(dense(x, w, b, code, param)), [x, w, b], { h: 1e-3, rtol: 1e-2, atol: 2e-3 });
  });
}

test('dense without bias: gradients w.r.t. x and kernel = central differences', () => {
  const x = randomVariable([3, 4], 21, { name: 'x' });
  const w = randomVariable([4, 2], 22, { name: 'kernel' });
  gradcheck(() => project(dense(x, w, null, ActivationCode.Tanh)), [x, w], { h: 1e-2 });
});
