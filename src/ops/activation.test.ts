/** Gradient checks of the activation op for every kernel activation code, and of softmax. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activation, softmax } from './activation.js';
import { ActivationCode } from '../kernels/backend.js';
import { gradcheck, project, randomVariable } from '../../test/helpers/gradcheck.js';
import { ACTIVATION_CODES } from '../../test/helpers/activation-codes.js';

const CODES = ACTIVATION_CODES;
const KINKS: Partial<Record<ActivationCode, number[]>> = {
  [ActivationCode.Relu]: [0],
  [ActivationCode.Elu]: [0],
  [ActivationCode.Selu]: [0],
  [ActivationCode.LeakyRelu]: [0],
  [ActivationCode.HardSigmoid]: [-3, 3],
  [ActivationCode.HardSigmoidKeras2]: [-2.5, 2.5],
};

for (const [name, code, param] of CODES) {
  test(`activation ${name}: tape gradient = central differences`, () => {
    // x spread over [-5, 5] so saturating and negative branches are both exercised.
    const x = randomVariable([4, 6], 100 + code, { scale: 2.5, name: 'x' });
    const kinks = KINKS[code] ?? [];
    const h = 1e-3;
    const skip = (_v: number, i: number) => kinks.some((k) => Math.abs(x.data[i]! - k) < 5 * h);
    gradcheck(() => project(activation(x, code, param)), [x], { h, rtol: 1e-2, atol: 2e-3, skip });
  });
}

test('activation Linear returns its input unchanged', () => {
  const x = randomVariable([3], 1);
  assert.equal(activation(x, ActivationCode.Linear), x);
});

test('softmax: tape gradient = central differences (rows of different scales)', () => {
  const x = randomVariable([3, 5], 7, { scale: 2, name: 'x' });
  gradcheck(() => project(softmax(x)), [x], { h: 1e-2, rtol: 1e-2, atol: 1e-3 });
});

test('softmax: rows sum to 1 and it is shift-invariant (stable at ±1000)', () => {
  const x = randomVariable([2, 4], 3);
  const y = softmax(x).data;
  for (let r = 0; r < 2; r++) assert.ok(Math.abs(y[r * 4]! + y[r * 4 + 1]! + y[r * 4 + 2]! + y[r * 4 + 3]! - 1) < 1e-6);
  const shifted = randomVariable([2, 4], 3, { offset: 1000 });
  const ys = softmax(shifted).data;
  for (let i = 0; i < 8; i++)
    assert.ok(Math.abs(ys[i]! - y[i]!) < 1e-3, `softmax(x + 1000)[${i}] = ${ys[i]} vs ${y[i]}`);
});
