/**
 * The model cases of test/fixtures/model.json (PyTorch float64 reference):
 * built with Keel's layer classes, weights set from the fixture, then forward
 * (training mode with Dropout as the identity, and inference mode), every
 * layer's output, each loss and every trainable weight's gradient, and the
 * BatchNormalization moving statistics after one training-mode pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Sequential, layers, losses, tensor, valueAndGrads, type Tensor } from '../../src/index.js';
import { assertAllClose, flat } from '../helpers/allclose.js';

interface LayerSpec {
  type: string;
  name: string;
  [key: string]: unknown;
}
interface LossCase {
  loss: string;
  from_logits: boolean;
  y: unknown;
  value: number;
  value_inference?: number;
  grads: Record<string, unknown>;
}
interface ModelCase {
  name: string;
  input_shape: number[];
  batch_size: number;
  layers: LayerSpec[];
  x: unknown;
  weights: { name: string; shape: number[]; trainable: boolean; value: unknown }[];
  output: unknown;
  output_inference: unknown;
  layer_outputs: unknown[];
  losses: LossCase[];
  moving_after?: Record<string, unknown>;
  notes?: string[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/model.json', import.meta.url), 'utf8')) as {
  cases: ModelCase[];
};

/**
 * The case's layers as Keel layers. Dropout gets rate 0: the fixture's
 * training-mode values use BatchNormalization on batch statistics with Dropout
 * as the identity (see the case notes).
 */
function buildLayer(spec: LayerSpec, first: boolean, inputShape: number[]): layers.Layer {
  const base = { name: spec.name, ...(first ? { inputShape } : {}) };
  switch (spec.type) {
    case 'Dense':
      return new layers.Dense(spec.units as number, {
        ...base,
        useBias: spec.use_bias as boolean,
        activation: spec.activation as never,
      });
    case 'BatchNormalization':
      return new layers.BatchNormalization({
        ...base,
        axis: spec.axis as number,
        momentum: spec.momentum as number,
        epsilon: spec.epsilon as number,
        center: spec.center as boolean,
        scale: spec.scale as boolean,
      });
    case 'Activation':
      return new layers.Activation(spec.activation as never, base);
    case 'Dropout':
      return new layers.Dropout({ ...base, rate: 0 });
    default:
      throw new Error(`model fixture: unsupported layer type ${spec.type}`);
  }
}

function buildModel(c: ModelCase): Sequential {
  const model = new Sequential(c.layers.map((s, i) => buildLayer(s, i === 0, c.input_shape)));
  model.setWeights(c.weights.map((w) => ({ data: Float32Array.from(flat(w.value)), shape: w.shape })));
  assert.deepEqual(
    model.weights.map((w) => w.name),
    c.weights.map((w) => w.name),
    'weight order and names as Keras getWeights',
  );
  assert.deepEqual(
    model.weights.map((w) => w.trainable),
    c.weights.map((w) => w.trainable),
  );
  return model;
}

function xOf(c: ModelCase): Tensor {
  return tensor(Float32Array.from(flat(c.x)), [c.batch_size, ...c.input_shape]);
}

function yOf(l: LossCase, c: ModelCase): Tensor {
  const values = flat(l.y);
  return tensor(
    Float32Array.from(values),
    values.length === c.batch_size ? [c.batch_size] : [c.batch_size, values.length / c.batch_size],
  );
}

/** Relative 1e-4, with an absolute floor of 1e-5 of the array's largest magnitude (for entries near 0). */
function tol(expected: number[]): { rtol: number; atol: number } {
  return { rtol: 1e-4, atol: 1e-5 * Math.max(1e-3, ...expected.map(Math.abs)) };
}

for (const c of fixture.cases) {
  test(`${c.name}: training-mode forward and every layer's output`, () => {
    const model = buildModel(c);
    const outputs: Tensor[] = [];
    const y = model.apply(xOf(c), {
      training: true,
      observe: (_l, o) => {
        outputs.push(o.clone());
      },
    });
    const expected = flat(c.output);
    assertAllClose(y.data, expected, tol(expected), `${c.name} output`);
    assert.equal(outputs.length, c.layer_outputs.length);
    outputs.forEach((o, i) => {
      const e = flat(c.layer_outputs[i]);
      assertAllClose(o.data, e, tol(e), `${c.name} layer ${i} (${c.layers[i]!.name}) output`);
    });
    if (c.moving_after !== undefined) {
      for (const [name, value] of Object.entries(c.moving_after)) {
        const w = model.weights.find((v) => v.name === name);
        assert.ok(w !== undefined, `no weight ${name}`);
        const e = flat(value);
        assertAllClose(w.data, e, tol(e), `${name} after one training-mode pass`);
      }
    }
  });

  test(`${c.name}: inference-mode forward (moving statistics, no state change)`, () => {
    const model = buildModel(c);
    const before = model.getWeights().map((w) => Array.from(w.data));
    const expected = flat(c.output_inference);
    assertAllClose(model.predict(xOf(c)).data, expected, tol(expected), `${c.name} predict`);
    assertAllClose(
      model.apply(xOf(c), { training: false }).data,
      expected,
      tol(expected),
      `${c.name} apply(training=false)`,
    );
    assert.deepEqual(
      model.getWeights().map((w) => Array.from(w.data)),
      before,
      'inference changes no weight',
    );
  });

  for (const l of c.losses) {
    test(
      `${c.name}: ${l.loss}${l.from_logits ? ' (from logits)' : ''} value and gradient of every trainable ` + `weight`,
      () => {
        const model = buildModel(c);
        const lossFn = losses.get(l.loss, l.from_logits);
        const x = xOf(c),
          y = yOf(l, c);
        const vars = model.trainableWeights;
        assert.deepEqual(
          vars.map((v) => v.name).sort(),
          Object.keys(l.grads).sort(),
          'trainable weights = the fixture gradients',
        );
        const { value, grads } = valueAndGrads(() => lossFn(y, model.apply(x, { training: true })), vars);
        assertAllClose([value.item()], [l.value], { rtol: 1e-5, atol: 0 }, `${l.loss} value`);
        vars.forEach((v, i) => {
          const e = flat(l.grads[v.name]);
          assertAllClose(grads[i]!.data, e, tol(e), `d${l.loss}/d${v.name}`);
        });
        if (l.value_inference !== undefined) {
          const fresh = buildModel(c);
          assertAllClose(
            [lossFn(y, fresh.predict(x)).item()],
            [l.value_inference],
            { rtol: 1e-5, atol: 0 },
            `${l.loss} in inference mode`,
          );
        }
      },
    );
  }
}

test(
  'dense_bn_selu_softmax with the real Dropout(0.5): training=false on the Dropout alone reproduces the ' + 'fixture',
  () => {
    const c = fixture.cases.find((k) => k.name === 'dense_bn_selu_softmax')!;
    const built = c.layers.map((s, i) =>
      s.type === 'Dropout'
        ? new layers.Dropout({ name: s.name, rate: s.rate as number, seed: 1 })
        : buildLayer(s, i === 0, c.input_shape),
    );
    const model = new Sequential(built);
    model.setWeights(c.weights.map((w) => ({ data: Float32Array.from(flat(w.value)), shape: w.shape })));
    let h = xOf(c);
    for (const layer of model.layers) h = layer.apply(h, { training: !(layer instanceof layers.Dropout) });
    const expected = flat(c.output);
    assertAllClose(h.data, expected, tol(expected), 'layer-by-layer output');
    // ...while a full training-mode call does apply the 0.5 dropout, so it differs.
    const fresh = new Sequential(
      c.layers.map((s, i) =>
        s.type === 'Dropout'
          ? new layers.Dropout({ name: s.name, rate: 0.5, seed: 1 })
          : buildLayer(s, i === 0, c.input_shape),
      ),
    );
    fresh.setWeights(c.weights.map((w) => ({ data: Float32Array.from(flat(w.value)), shape: w.shape })));
    const dropped = fresh.apply(xOf(c), { training: true }).data;
    assert.ok(
      dropped.some((v, i) => Math.abs(v - expected[i]!) > 1e-3),
      'a training-mode model call applies dropout',
    );
  },
);
