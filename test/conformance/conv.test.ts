/**
 * The cases of test/fixtures/conv.json (PyTorch float64 reference, test/reference/make_conv_fixtures.py):
 * each Keras model config imported with layerFromConfig, weights set from the fixture, then the training-mode
 * output and the gradients of sum(output · upstream) w.r.t. the input and every trainable weight — covering
 * 'same' padding's extra row/column at the bottom/right, strides, dilation, causal Conv1D, −∞ max-pool padding,
 * the valid-count average, Flatten's channels-last order and per-channel BatchNormalization on rank 4.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Sequential, layers, ops, tensor, valueAndGrads } from '../../src/index.js';
import { Variable } from '../../src/autograd/variable.js';
import { assertAllClose, flat } from '../helpers/allclose.js';

interface ConvCase {
  name: string;
  description: string;
  layers: { class_name: string; config: Record<string, unknown> }[];
  input_shape: number[];
  x: unknown;
  weights: { name: string; shape: number[]; trainable: boolean; value: unknown }[];
  output: unknown;
  upstream: unknown;
  grad_x: unknown;
  grads: Record<string, unknown>;
  moving_after?: Record<string, number[]>;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/conv.json', import.meta.url), 'utf8')) as {
  cases: ConvCase[];
};

function tol(expected: number[]): { rtol: number; atol: number } {
  return { rtol: 1e-4, atol: 1e-5 * Math.max(1e-3, ...expected.map(Math.abs)) };
}

for (const c of fixture.cases) {
  test(`${c.name}: ${c.description} (forward and gradients against PyTorch float64)`, () => {
    const model = new Sequential(c.layers.map((l) => layers.layerFromConfig(l, c.name)));
    model.build(c.input_shape);
    model.setWeights(c.weights.map((w) => ({ data: Float32Array.from(flat(w.value)), shape: w.shape })));
    assert.deepEqual(
      model.weights.map((w) => [w.name, w.shape]),
      c.weights.map((w) => [w.name, w.shape]),
      'Keras weight names, order and layout',
    );
    const xs = flat(c.x);
    const x = new Variable(
      tensor(Float32Array.from(xs), [xs.length / c.input_shape.reduce((p, d) => p * d, 1), ...c.input_shape]),
      {
        name: 'x',
      },
    );
    const upstream = flat(c.upstream);
    let output: number[] = [];
    const { grads } = valueAndGrads(() => {
      const y = model.apply(x, { training: true });
      output = Array.from(y.data);
      return ops.sum(ops.mul(y, tensor(Float32Array.from(upstream), y.shape)));
    }, [x, ...model.trainableWeights]);
    const expected = flat(c.output);
    assertAllClose(output, expected, tol(expected), `${c.name} output`);
    const gx = flat(c.grad_x);
    assertAllClose(grads[0]!.data, gx, tol(gx), `${c.name} d/dx`);
    model.trainableWeights.forEach((w, i) => {
      const e = flat(c.grads[w.name]);
      assertAllClose(grads[i + 1]!.data, e, tol(e), `${c.name} d/d${w.name}`);
    });
    for (const [name, value] of Object.entries(c.moving_after ?? {})) {
      const w = model.weights.find((v) => v.name === name)!;
      // One training-mode pass ran: the moving statistics moved once (Keras: biased variance, momentum 0.99).
      assertAllClose(w.data, value, tol(value), `${name} after one training-mode pass`);
    }
  });
}
