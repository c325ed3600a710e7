/** Gradient checks of the fused dense op (x·W + b then activation) for every activation code. */
import { test } from 'node:test';
import { dense } from './dense.js';
import { ActivationCode } from '../kernels/backend.js';
import { gradcheck, project, randomVariable } from '../../test/helpers/gradcheck.js';

const CODES: [string, ActivationCode, number][] = [
  ['linear', ActivationCode.Linear, 0],
  ['relu', ActivationCode.Relu, 0],
  ['elu', ActivationCode.Elu, 1],
  ['selu', ActivationCode.Selu, 0],
  ['sigmoid', ActivationCode.Sigmoid, 0],
  ['tanh', ActivationCode.Tanh, 0],
  ['softplus', ActivationCode.Softplus, 0],
  ['softsign', ActivationCode.Softsign, 0],
  ['swish', ActivationCode.Swish, 0],
  ['gelu_approximate', ActivationCode.GeluTanh, 0],
  ['gelu', ActivationCode.GeluErf, 0],
  ['hard_sigmoid', ActivationCode.HardSigmoid, 0],
  ['exponential', ActivationCode.Exponential, 0],
  ['leaky_relu', ActivationCode.LeakyRelu, 0.2],
];

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
