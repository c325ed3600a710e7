/**
 * NaN in → NaN out, and the derivative at x = 0 exactly, through the ops the
 * layers use (the activation op, the fused dense + bias + activation op, and
 * PReLU), on both kernel sets (wasm, the default, and the JS reference).
 *
 * References (not our own output):
 *  - tensorflow/core/kernels/relu_op_functor.h: Relu = cwiseMax<PropagateNaN>(x, 0);
 *    ReluGrad = g·(x > 0); LeakyReluGrad = x > 0 ? g : g·alpha; EluGrad = y < 0 ? g·(y + 1) : g;
 *    SeluGrad = y < 0 ? g·(y + λα) : g·λ.
 *  - keras/src/backend/tensorflow/nn.py: relu/leaky_relu/elu/selu call those TF ops.
 *  - keras/src/layers/activations/prelu.py: PReLU(x) = relu(x) − alpha·relu(−x), so
 *    ∂/∂x = (x > 0) + alpha·(x < 0) = 0 at x = 0, and ∂/∂alpha = −relu(−x) = 0 at x = 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activation } from './activation.js';
import { dense } from './dense.js';
import { prelu } from './prelu.js';
import { sum } from './reduce.js';
import { ActivationCode, type KernelBackend } from '../kernels/backend.js';
import { jsBackend, kernels, setKernelBackend } from '../kernels/registry.js';
import { createWasmBackend } from '../kernels/wasm/index.js';
import { Variable } from '../autograd/variable.js';
import { valueAndGrads } from '../autograd/value-and-grads.js';

const LAMBDA = 1.0507009873554804934193349852946;

function onEachBackend(name: string, body: () => void): void {
  for (const make of [() => createWasmBackend({ threads: 1 }), () => jsBackend]) {
    const backend: KernelBackend = make();
    test(`${backend.name}: ${name}`, () => {
      const previous = kernels();
      setKernelBackend(backend);
      try {
        body();
      } finally {
        setKernelBackend(previous);
      }
    });
  }
}

const v = (values: number[], name = 'x') => new Variable(Float32Array.from(values), { name });

// [name, code, param, f'(0)] — TF gradient kernels at x = 0.
const KINKS: [string, ActivationCode, number, number][] = [
  ['relu', ActivationCode.Relu, 0, 0],
  ['leaky_relu(0.2)', ActivationCode.LeakyRelu, 0.2, 0.2],
  ['elu', ActivationCode.Elu, 1, 1],
  ['selu', ActivationCode.Selu, 0, LAMBDA],
];

onEachBackend('activation op: relu/leaky_relu/elu/selu of NaN is NaN; derivative at 0 as TF', () => {
  for (const [name, code, param, d0] of KINKS) {
    const x = v([NaN, 0, 1, -1, NaN]);
    const y = activation(x, code, param);
    assert.ok(Number.isNaN(y.data[0]!) && Number.isNaN(y.data[4]!), `${name}(NaN) = ${y.data[0]}`);
    const z = v([0, 0, 0, 0, 0]);
    const { grads } = valueAndGrads(() => sum(activation(z, code, param)), [z]);
    for (const g of grads[0]!.data) assert.ok(Math.abs(g - d0) < 1e-6, `${name}'(0) = ${g}, want ${d0}`);
  }
});

onEachBackend(
  'fused dense + activation: a NaN pre-activation gives NaN; the kernel gradient at pre = 0 follows TF',
  () => {
    for (const [name, code, param, d0] of KINKS) {
      // x = [[1, 1]], kernel column 0 = [NaN, 0] → pre NaN; column 1 = [2, −2] → pre exactly 0.
      const x = new Variable(Float32Array.from([1, 1]), { shape: [1, 2], name: 'x' });
      const w = new Variable(Float32Array.from([NaN, 2, 0, -2]), { shape: [2, 2], name: 'kernel' });
      const b = new Variable(Float32Array.from([0, 0]), { name: 'bias' });
      const y = dense(x, w, b, code, param);
      assert.ok(Number.isNaN(y.data[0]!), `dense + ${name}: NaN pre-activation gave ${y.data[0]}`);
      assert.equal(y.data[1], 0);
      // d(sum y)/d bias_1 = f'(0) (only column 1; column 0 is NaN in the forward pass).
      const { grads } = valueAndGrads(() => sum(dense(x, w, b, code, param)), [b]);
      assert.ok(Math.abs(grads[0]!.data[1]! - d0) < 1e-6, `dense + ${name}: f'(0) = ${grads[0]!.data[1]}, want ${d0}`);
    }
  },
);

onEachBackend(
  'prelu = relu(x) − alpha·relu(−x) (Keras): NaN → NaN, gradients at x = 0 are 0 for x and ' + 'alpha',
  () => {
    const x = v([NaN, 0, -2, 3]);
    const alpha = v([0.25, 0.25, 0.25, 0.25], 'alpha');
    const y = prelu(x, alpha);
    assert.ok(Number.isNaN(y.data[0]!), `prelu(NaN) = ${y.data[0]}`);
    assert.deepEqual(Array.from(y.data.subarray(1)), [0, -0.5, 3]);
    const { grads } = valueAndGrads(() => sum(prelu(x, alpha)), [x, alpha]);
    const [dx, dAlpha] = [grads[0]!.data, grads[1]!.data];
    // ∂/∂x = (x > 0) + alpha·(x < 0): NaN → 0 (TF ReluGrad of NaN features), 0 → 0, −2 → alpha, 3 → 1.
    assert.deepEqual(Array.from(dx), [0, 0, 0.25, 1]);
    // ∂/∂alpha = −relu(−x): NaN → NaN, 0 → 0, −2 → −2, 3 → 0.
    assert.ok(Number.isNaN(dAlpha[0]!), `∂prelu/∂alpha at NaN = ${dAlpha[0]}`);
    assert.deepEqual(
      Array.from(dAlpha.subarray(1)).map((a) => a + 0),
      [0, -2, 0],
    );
  },
);
