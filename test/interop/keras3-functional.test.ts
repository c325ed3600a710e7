/**
 * Must-show 2: test/fixtures/keras3-functional.json is a Keras 3 functional `model.to_json()` document written
 * by hand (no Keras run): two inputs, a residual block (Add), a Concatenate, two outputs. Its structure follows
 * keras-team/keras 3.16.0 (commit 3422977): `Functional.get_config` in keras/src/models/functional.py (layers
 * with `name` and `inbound_nodes`, `input_layers`/`output_layers` as [layer, node, tensor]), `serialize_node`
 * there (`{args, kwargs}`), `serialize_keras_object` in keras/src/saving/serialization_lib.py (a KerasTensor as
 * `{class_name: '__keras_tensor__', config: {shape, dtype, keras_history}}`, objects with module and
 * registered_name), `InputLayer.get_config`, `Dense.get_config` and `Concatenate.get_config`.
 * It imports, predicts as the same graph built with Keel's API, trains, and Keel writes it back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  Model,
  Random,
  Sequential,
  Tensor,
  input,
  layers,
  modelFromKerasJson,
  optimizers,
  setSeed,
} from '../../src/index.js';

const text = readFileSync(new URL('../fixtures/keras3-functional.json', import.meta.url), 'utf8');

function data(n: number, seed: number) {
  const rng = new Random(seed);
  const f = Float32Array.from({ length: n * 12 }, () => rng.normal());
  const m = Float32Array.from({ length: n * 3 }, () => rng.normal());
  const label = new Float32Array(n);
  const score = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    label[i] = Math.abs(Math.floor(f[i * 12]! * 2)) % 5;
    score[i] = m[i * 3]! + f[i * 12 + 1]! > 0 ? 1 : 0;
  }
  return {
    x: { features: new Tensor(f, [n, 12]), meta: new Tensor(m, [n, 3]) },
    y: { label: new Tensor(label, [n]), score: new Tensor(score, [n, 1]) },
  };
}

test('a hand-written Keras 3 functional to_json() imports and predicts as the same graph built in Keel', () => {
  setSeed(1);
  const model = modelFromKerasJson(text);
  assert.equal(model.name, 'residual_two_heads');
  assert.deepEqual(model.inputNames, ['features', 'meta']);
  assert.deepEqual(model.outputNames, ['label', 'score']);
  assert.deepEqual(
    model.layers.map((l) => `${l.name}:${l.className}`),
    [
      'stem:Dense',
      'block_a:Dense',
      'block_b:Dense',
      'residual:Add',
      'meta_proj:Dense',
      'joined:Concatenate',
      'label:Dense',
      'score:Dense',
    ],
  );
  // The same graph through the API, with the imported weights.
  const f = input({ shape: [12] });
  const m = input({ shape: [3] });
  const stem = new layers.Dense(16, { activation: 'relu' }).apply(f);
  const block = new layers.Dense(16).apply(new layers.Dense(16, { activation: 'relu' }).apply(stem));
  const joined = new layers.Concatenate().apply([
    new layers.Add().apply([stem, block]),
    new layers.Dense(4, { activation: 'tanh' }).apply(m),
  ]);
  const twin = new Model({
    inputs: [f, m],
    outputs: [
      new layers.Dense(5, { activation: 'softmax' }).apply(joined),
      new layers.Dense(1, { activation: 'sigmoid' }).apply(joined),
    ],
  });
  twin.setWeights(model.getWeights());
  const { x } = data(16, 2);
  const ours = model.predict<Tensor[]>(x);
  const theirs = twin.predict<Tensor[]>([x.features, x.meta]);
  assert.deepEqual(
    ours.map((t) => t.shape),
    [
      [16, 5],
      [16, 1],
    ],
  );
  ours.forEach((t, i) => assert.deepEqual(t.data, theirs[i]!.data));
  // HeNormal kernels as the document says: n_in·Var[w] ≈ 2 for the 12 × 16 stem.
  const k = model.layers[0]!.weights[0]!.data;
  const variance = k.reduce((s, v) => s + v * v, 0) / k.length;
  assert.ok(Math.abs(12 * variance - 2) < 0.7, `stem kernel n·Var = ${12 * variance}`);
});

test('the imported two-input, two-output model trains, and Keel writes the document back', async () => {
  setSeed(2);
  const model = modelFromKerasJson(text);
  model.compile({
    optimizer: new optimizers.Adam({ learningRate: 0.01 }),
    loss: { label: 'sparse_categorical_crossentropy', score: 'binary_crossentropy' },
    metrics: { label: ['accuracy'], score: ['accuracy'] },
  });
  const { x, y } = data(256, 3);
  const before = model.evaluate(x, y);
  await model.fit(x, y, { epochs: 15, batchSize: 32, verbose: 0 });
  const after = model.evaluate(x, y);
  assert.ok(after.loss! < 0.6 * before.loss!, `loss ${before.loss} → ${after.loss}`);
  assert.ok(after.score_accuracy! > 0.85, `score accuracy ${after.score_accuracy}`);
  // Written back in the same dialect: the same layers, nodes and tensors references.
  const original = JSON.parse(text) as { config: { layers: { name: string; inbound_nodes: unknown }[] } };
  const written = JSON.parse(model.toJSON()) as typeof original & { class_name: string };
  assert.equal(written.class_name, 'Functional');
  const nodes = (d: typeof original) =>
    Object.fromEntries(
      d.config.layers.map((l) => [
        l.name,
        JSON.stringify(l.inbound_nodes, (k, v: unknown) => (k === 'shape' || k === 'dtype' ? undefined : v)),
      ]),
    );
  assert.deepEqual(nodes(written), nodes(original));
  assert.deepEqual((written.config as unknown as { input_layers: unknown }).input_layers, [
    ['features', 0, 0],
    ['meta', 0, 0],
  ]);
});

test('a Sequential writes a Keras 3 Sequential document (InputLayer first) that imports back to the same model', () => {
  setSeed(3);
  const seq = new Sequential([
    new layers.Dense(4, { activation: 'relu', inputShape: [3] }),
    new layers.BatchNormalization(),
    new layers.Dense(2, { activation: 'softmax' }),
  ]);
  const doc = JSON.parse(seq.toJSON()) as {
    class_name: string;
    config: { layers: { class_name: string; config: Record<string, unknown> }[] };
  };
  assert.equal(doc.class_name, 'Sequential');
  assert.deepEqual(
    doc.config.layers.map((l) => l.class_name),
    ['InputLayer', 'Dense', 'BatchNormalization', 'Dense'],
  );
  assert.deepEqual(doc.config.layers[0]!.config.batch_shape, [null, 3]);
  assert.equal(doc.config.layers[1]!.config.batch_input_shape, undefined);
  const back = modelFromKerasJson(seq.toJSON());
  assert.ok(back instanceof Sequential);
  assert.equal(back.toJSON(), seq.toJSON());
});
