import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussianExpectation } from './gauss-hermite.js';
import { activationMoments } from './activation-moments.js';
import { ActivationCode } from '../nn/activation-formulas.js';

test('Gauss–Hermite integrates Gaussian moments exactly', () => {
  assert.ok(Math.abs(gaussianExpectation((z) => z * z, 0.3, 2.5) - (2.5 + 0.09)) < 1e-10);
  assert.ok(Math.abs(gaussianExpectation((z) => z ** 4, 0, 2) - 3 * 4) < 1e-9);
});

test('ReLU second moment is q/2 and E[relu′²] is 1/2 (He et al. 2015)', () => {
  const m = activationMoments({ code: ActivationCode.Relu, param: 0 }, 0, 3);
  assert.ok(Math.abs(m.secondMoment - 1.5) / 1.5 < 5e-3, String(m.secondMoment));
  assert.ok(Math.abs(m.derivativeSecondMoment - 0.5) < 5e-3, String(m.derivativeSecondMoment));
});

test('SELU maps (mean 0, variance 1) to itself (Klambauer et al. 2017 fixed point)', () => {
  const m = activationMoments({ code: ActivationCode.Selu, param: 0 }, 0, 1);
  // 96-point Gauss–Hermite across SELU's kink at 0 is accurate to ~1e-3.
  assert.ok(Math.abs(m.mean) < 3e-3, `mean ${m.mean}`);
  assert.ok(Math.abs(m.secondMoment - m.mean ** 2 - 1) < 3e-3, `variance ${m.secondMoment}`);
});

test('the cross moment of independent examples is E[f]², of identical ones E[f²]', () => {
  const tanh = { code: ActivationCode.Tanh, param: 0 };
  const none = activationMoments(tanh, 0.5, 2, 0),
    all = activationMoments(tanh, 0.5, 2, 2);
  assert.ok(Math.abs(none.crossMoment - none.mean ** 2) < 1e-6);
  assert.ok(Math.abs(all.crossMoment - all.secondMoment) < 1e-3);
});
