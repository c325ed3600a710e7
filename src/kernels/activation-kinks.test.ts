/**
 * NaN propagation and the derivatives at the kinks, in BOTH kernel sets (the JS
 * reference and the wasm SIMD kernels), checked against the rules of the
 * reference implementation, not against each other:
 *
 *  - Forward: every Keras backend gives f(NaN) = NaN. TF's Relu kernel is
 *    features.cwiseMax<Eigen::PropagateNaN>(0); LeakyRelu/Elu/Selu select with a
 *    comparison that is false for NaN and then compute from the NaN itself.
 *    (tensorflow/core/kernels/relu_op_functor.h)
 *  - Backward at x = 0 exactly, Keras 3's TF backend (keras/src/backend/tensorflow/nn.py)
 *    → the TF gradient kernels in relu_op_functor.h:
 *      ReluGrad       g·(x > 0)                          relu'(0) = 0
 *      LeakyReluGrad  x > 0 ? g : g·alpha                leaky_relu'(0) = alpha
 *      EluGrad        y < 0 ? g·(y + 1) : g              elu'(0) = 1 (alpha = 1); Keras's
 *                     alpha ≠ 1 is tf.where(x > 0, elu(x), alpha·elu(x)) → alpha·1 at 0
 *      SeluGrad       y < 0 ? g·(y + λα) : g·λ           selu'(0) = λ = 1.0507009873554804934193349852946
 *      Relu6Grad      g·(0 < f < 6), hard_sigmoid = relu6(x + 3)/6 → hard_sigmoid'(±3) = 0
 *
 * Each value is written into a whole array so that both the 4-lane SIMD body
 * and the scalar tail of the wasm loops see it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActivationCode, type KernelBackend } from './backend.js';
import { jsBackend } from './js/js-backend.js';
import { createWasmBackend } from './wasm/index.js';
import { ACTIVATION_CODES } from '../../test/helpers/activation-codes.js';

const LAMBDA = 1.0507009873554804934193349852946; // TF's `scale` in Selu/SeluGrad
const BACKENDS: KernelBackend[] = [jsBackend, createWasmBackend({ threads: 1 })];
const N = 7; // one vector of 4 + a tail of 3

function forward(k: KernelBackend, code: ActivationCode, param: number, value: number): Float32Array {
  const x = k.allocate(N).fill(value),
    pre = k.allocate(N),
    out = k.allocate(N);
  k.biasActivation(x, null, pre, out, 1, N, code, param);
  return out;
}

/** dx for upstream gradient g at input value x (the backward kernels get f(x) from the forward kernel). */
function backward(k: KernelBackend, code: ActivationCode, param: number, value: number, g = 1): Float32Array {
  const pre = k.allocate(N).fill(value),
    out = forward(k, code, param, value);
  const dy = k.allocate(N).fill(g),
    dx = k.allocate(N);
  k.activationBackward(dy, pre, out, dx, N, code, param);
  return dx;
}

function assertAll(a: Float32Array, want: number, what: string): void {
  for (let i = 0; i < N; i++) {
    const got = a[i]!;
    if (Number.isNaN(want)) assert.ok(Number.isNaN(got), `${what}[${i}]: got ${got}, want NaN`);
    else
      assert.ok(Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want)), `${what}[${i}]: got ${got}, want ${want}`);
  }
}

const ALL = ACTIVATION_CODES.filter(([, code]) => code !== ActivationCode.Linear);

for (const k of BACKENDS) {
  test(`${k.name}: f(NaN) = NaN for every activation (relu, leaky_relu, elu, selu included)`, () => {
    for (const [name, code, param] of ALL) assertAll(forward(k, code, param, NaN), NaN, `${k.name} ${name}(NaN)`);
  });

  test(`${k.name}: a NaN upstream gradient is not hidden at the kinks (TF: g·(x > 0) is NaN for NaN g)`, () => {
    for (const [name, code, param] of ALL)
      assertAll(backward(k, code, param, 0, NaN), NaN, `${k.name} ${name}' with g = NaN at 0`);
    assertAll(backward(k, ActivationCode.Relu, 0, -1, NaN), NaN, `${k.name} relu' with g = NaN at -1`);
  });

  test(`${k.name}: relu'(0) = 0, leaky_relu'(0) = alpha, elu'(0) = alpha, selu'(0) = λ (TF gradient kernels)`, () => {
    // [name, code, param, f(0), f'(0), f'(−1), f'(1)] from the TF kernel formulas above.
    const cases: [string, ActivationCode, number, number, number, number, number][] = [
      ['relu', ActivationCode.Relu, 0, 0, 0, 0, 1],
      ['leaky_relu(0.2)', ActivationCode.LeakyRelu, 0.2, 0, 0.2, 0.2, 1],
      ['leaky_relu(0.3)', ActivationCode.LeakyRelu, 0.3, 0, 0.3, 0.3, 1],
      ['elu', ActivationCode.Elu, 1, 0, 1, Math.exp(-1), 1],
      ['elu(0.5)', ActivationCode.Elu, 0.5, 0, 0.5, 0.5 * Math.exp(-1), 1],
      ['selu', ActivationCode.Selu, 0, 0, LAMBDA, 1.7580993408473768599402175208123 * Math.exp(-1), LAMBDA],
    ];
    for (const [name, code, param, f0, d0, dNeg, dPos] of cases) {
      assertAll(forward(k, code, param, 0), f0, `${k.name} ${name}(0)`);
      assertAll(backward(k, code, param, 0), d0, `${k.name} ${name}'(0)`);
      assertAll(backward(k, code, param, -1), dNeg, `${k.name} ${name}'(-1)`);
      assertAll(backward(k, code, param, 1), dPos, `${k.name} ${name}'(1)`);
      assertAll(backward(k, code, param, 0, 3), 3 * d0, `${k.name} ${name}'(0)·3`);
    }
  });

  test(`${k.name}: hard_sigmoid = relu6(x + 3)/6: f'(±3) = 0 (Relu6Grad), 1/6 inside`, () => {
    assertAll(forward(k, ActivationCode.HardSigmoid, 0, 3), 1, `${k.name} hard_sigmoid(3)`);
    assertAll(forward(k, ActivationCode.HardSigmoid, 0, -3), 0, `${k.name} hard_sigmoid(-3)`);
    assertAll(backward(k, ActivationCode.HardSigmoid, 0, 3), 0, `${k.name} hard_sigmoid'(3)`);
    assertAll(backward(k, ActivationCode.HardSigmoid, 0, -3), 0, `${k.name} hard_sigmoid'(-3)`);
    assertAll(backward(k, ActivationCode.HardSigmoid, 0, 0), 1 / 6, `${k.name} hard_sigmoid'(0)`);
  });

  test(`${k.name}: tf.keras 2 / TF.js hard_sigmoid = clip(0.2x + 1/2, 0, 1): f'(±2.5) = 0.2 (clip_by_value)`, () => {
    const code = ActivationCode.HardSigmoidKeras2;
    // [x, f(x), f'(x)]: clip_by_value passes the gradient where 0 ≤ 0.2x + 1/2 ≤ 1, both ends included.
    const cases: [number, number, number][] = [
      [-3, 0, 0],
      [-2.5, 0, 0.2],
      [0, 0.5, 0.2],
      [1, 0.7, 0.2],
      [2.5, 1, 0.2],
      [3, 1, 0],
    ];
    for (const [x, f, d] of cases) {
      assertAll(forward(k, code, 0, x), Math.fround(f), `${k.name} hard_sigmoid_keras2(${x})`);
      assertAll(backward(k, code, 0, x), Math.fround(d), `${k.name} hard_sigmoid_keras2'(${x})`);
    }
  });
}
