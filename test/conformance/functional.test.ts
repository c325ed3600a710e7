/**
 * Must-show 1 of the functional API: a residual MLP with a Concatenate branch and a shared layer
 * (test/fixtures/functional.json, from test/reference/make_functional_fixture.py, PyTorch float64):
 * every named tensor of the forward pass, the loss, the gradients, one SGD step; then the model saved in the
 * TF.js layers format and loaded predicts identically, and its Keras 3 to_json() document rebuilds it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Model,
  input,
  layers,
  loadModel,
  modelFromKerasJson,
  optimizers,
  tensor,
  valueAndGrads,
  losses,
  type Tensor,
} from '../../src/index.js';
import { assertAllClose, flat } from '../helpers/allclose.js';

interface Fixture {
  x: number[][];
  y: number[];
  weights: Record<string, unknown>;
  tensors: Record<string, unknown>;
  loss: number;
  grads: Record<string, unknown>;
  weights_after: Record<string, unknown>;
  output_after: unknown;
  loss_after: number;
}

const fx = JSON.parse(readFileSync(new URL('../fixtures/functional.json', import.meta.url), 'utf8')) as Fixture;

/** The graph of make_functional_fixture.py, with the fixture's names; returns the model and its named tensors. */
function residualConcatModel() {
  const x = input({ shape: [6], name: 'x' });
  const stem = new layers.Dense(8, { activation: 'relu', name: 'stem' }).apply(x);
  const a = new layers.Dense(8, { activation: 'relu', name: 'res_a' }).apply(stem);
  const b = new layers.Dense(8, { name: 'res_b' }).apply(a);
  const r1 = new layers.Add({ name: 'add_1' }).apply([stem, b]);
  const shared = new layers.Dense(8, { activation: 'tanh', name: 'shared' });
  const u = shared.apply(r1);
  const v = shared.apply(u);
  const r2 = new layers.Add({ name: 'add_2' }).apply([r1, v]);
  const c1 = new layers.Dense(4, { activation: 'tanh', name: 'side_1' }).apply(r2);
  const c2 = new layers.Dense(3, { activation: 'elu', name: 'side_2' }).apply(x);
  const cat = new layers.Concatenate({ axis: -1, name: 'concat' }).apply([r2, c1, c2]);
  const out = new layers.Dense(3, { activation: 'softmax', name: 'head' }).apply(cat);
  const model = new Model({ inputs: x, outputs: out, name: 'residual_concat' });
  model.setWeights(
    model.weights.map((w) => ({ data: Float32Array.from(flat(fx.weights[w.name])), shape: [...w.shape] })),
  );
  return model;
}

const X = () => tensor(fx.x);
const Y = () => tensor(fx.y, [fx.y.length]);

test('residual MLP with a Concatenate branch: every tensor of the forward pass matches PyTorch float64', () => {
  const model = residualConcatModel();
  // The shared layer is one set of weights used by two nodes.
  assert.deepEqual(
    model.weights.map((w) => w.name).filter((n) => n.startsWith('shared')),
    ['shared/kernel', 'shared/bias'],
  );
  assert.equal(model.nodes.length, 11);
  const seen: Record<string, Tensor[]> = {};
  model.run([X()], { observe: (layer, out) => (seen[layer.name] ??= []).push(out) });
  const byName: Record<string, Tensor> = { ...Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, v[0]!])) };
  byName.shared_1 = seen.shared![0]!;
  byName.shared_2 = seen.shared![1]!;
  for (const [name, expected] of Object.entries(fx.tensors))
    assertAllClose(byName[name]!.data, flat(expected), { rtol: 1e-5, atol: 1e-6 }, name);
  assertAllClose(model.predict(X()).data, flat(fx.tensors.head), { rtol: 1e-5, atol: 1e-6 }, 'predict');
});

test('residual MLP with a Concatenate branch: loss, gradients and one SGD step match PyTorch float64', () => {
  const model = residualConcatModel();
  const { value, grads } = valueAndGrads(
    () => losses.sparseCategoricalCrossentropy(Y(), model.run([X()], { training: true })[0]!),
    model.trainableWeights,
  );
  assertAllClose(value.data, [fx.loss], { rtol: 1e-5 }, 'loss');
  model.trainableWeights.forEach((w, i) =>
    assertAllClose(grads[i]!.data, flat(fx.grads[w.name]), { rtol: 1e-4, atol: 1e-6 }, `grad ${w.name}`),
  );
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy' });
  const logs = model.trainOnBatch(X(), Y());
  assertAllClose([logs.loss!], [fx.loss], { rtol: 1e-5 }, 'trainOnBatch loss');
  for (const w of model.weights)
    assertAllClose(w.data, flat(fx.weights_after[w.name]), { rtol: 1e-4, atol: 1e-6 }, `after ${w.name}`);
  assertAllClose(model.predict(X()).data, flat(fx.output_after), { rtol: 1e-4, atol: 1e-6 }, 'output after');
});

test('residual MLP with a Concatenate branch: TF.js save/load, Keras 3 to_json/import predict the same', async () => {
  const model = residualConcatModel();
  const dir = mkdtempSync(join(tmpdir(), 'keel-functional-'));
  try {
    await model.save(dir);
    const doc = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
      modelTopology: { class_name: string; config: { layers: { name: string; inbound_nodes: unknown }[] } };
    };
    assert.equal(doc.modelTopology.class_name, 'Functional');
    const concat = doc.modelTopology.config.layers.find((l) => l.name === 'concat')!;
    assert.deepEqual(concat.inbound_nodes, [
      [
        ['add_2', 0, 0, {}],
        ['side_1', 0, 0, {}],
        ['side_2', 0, 0, {}],
      ],
    ]);
    const shared = doc.modelTopology.config.layers.find((l) => l.name === 'shared')!;
    assert.deepEqual(shared.inbound_nodes, [[['add_1', 0, 0, {}]], [['shared', 0, 0, {}]]]);
    const loaded = await loadModel(dir);
    assert.deepEqual(loaded.predict(X()).data, model.predict(X()).data);
    assert.deepEqual(
      loaded.nodes.map((n) => n.layer.name),
      model.nodes.map((n) => n.layer.name),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // Keras 3 document: a fresh model (new weights) with the same graph; weights copied in predict the same.
  const copy = modelFromKerasJson(model.toJSON());
  copy.setWeights(model.getWeights());
  assert.deepEqual(copy.predict(X()).data, model.predict(X()).data);
  assert.deepEqual(JSON.parse(copy.toJSON()), JSON.parse(model.toJSON()));
});
