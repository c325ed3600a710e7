/** Sequential: weights order and errors, MC dropout vs deterministic predict, seeded determinism. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential } from './model.js';
import * as layers from './layers/index.js';
import { setSeed, Random } from '../tensor/rng.js';
import { Tensor, tensor } from '../tensor/tensor.js';

function data(n: number, features: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Random(seed);
  const x = new Float32Array(n * features),
    y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < features; j++) {
      x[i * features + j] = rng.normal();
      s += x[i * features + j]! * ((j % 3) - 1);
    }
    y[i] = s > 0.5 ? 2 : s < -0.5 ? 0 : 1;
  }
  return { x: new Tensor(x, [n, features]), y: new Tensor(y, [n]) };
}

function smallModel(): Sequential {
  return new Sequential([
    new layers.Dense(16, { activation: 'elu', kernelInitializer: 'he_normal', inputShape: [8] }),
    new layers.BatchNormalization(),
    new layers.Dropout(0.3),
    new layers.Dense(3, { activation: 'softmax' }),
  ]);
}

test('getWeights order is Keras order; setWeights checks count and shapes', () => {
  setSeed(1);
  const m = smallModel();
  const names = m.weights.map((w) => w.name.split('/')[1]);
  assert.deepEqual(names, ['kernel', 'bias', 'gamma', 'beta', 'moving_mean', 'moving_variance', 'kernel', 'bias']);
  const w = m.getWeights();
  assert.deepEqual(
    w.map((t) => t.shape),
    [[8, 16], [16], [16], [16], [16], [16], [16, 3], [3]],
  );
  assert.throws(() => m.setWeights(w.slice(1)), /expected 8 arrays .*received 7/);
  const wrong = [...w];
  wrong[6] = new Tensor(new Float32Array(48), [3, 16]);
  assert.throws(() => m.setWeights(wrong), /has shape \[16, 3\]; received \[3, 16\]/);
  // A valid round trip through another model reproduces its predictions.
  const x = data(5, 8, 2).x;
  setSeed(99);
  const other = smallModel();
  other.setWeights(w);
  assert.deepEqual(other.predict(x).data, m.predict(x).data);
  // getWeights returns copies.
  w[0]!.data[0] = 1234;
  assert.notEqual(m.weights[0]!.data[0], 1234);
});

test('predict is deterministic by default; predict({training: true}) samples dropout masks (MC dropout)', () => {
  setSeed(2);
  const m = smallModel();
  const x = data(20, 8, 3).x;
  const a = m.predict(x),
    b = m.predict(x);
  assert.deepEqual(a.data, b.data);
  const mc1 = m.predict(x, { training: true }),
    mc2 = m.predict(x, { training: true });
  assert.notDeepEqual(mc1.data, mc2.data);
  assert.notDeepEqual(mc1.data, a.data);
  for (let r = 0; r < 20; r++) {
    let s = 0;
    for (let j = 0; j < 3; j++) s += mc1.data[r * 3 + j]!;
    assert.ok(Math.abs(s - 1) < 1e-5, 'MC samples are still probability rows');
  }
});

async function trainRun(seed: number): Promise<{ weights: number[][]; loss: number[] }> {
  setSeed(seed);
  const m = smallModel();
  const initial = m.getWeights().map((t) => Array.from(t.data));
  m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const { x, y } = data(128, 8, 4);
  const history = await m.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
  return { weights: initial, loss: [...history.history.loss!, ...m.getWeights().flatMap((t) => Array.from(t.data))] };
}

test(
  'the same setSeed gives the same initial weights and the same training history; another seed ' + 'differs',
  async () => {
    const a = await trainRun(7),
      b = await trainRun(7),
      c = await trainRun(8);
    assert.deepEqual(a.weights, b.weights);
    assert.deepEqual(a.loss, b.loss);
    assert.notDeepEqual(a.weights, c.weights);
    assert.notDeepEqual(a.loss, c.loss);
  },
);

test('layer names must be unique and only the first layer may declare an input shape', () => {
  assert.throws(
    () => new Sequential([new layers.Dense(2, { name: 'x', inputShape: [2] }), new layers.Dense(2, { name: 'x' })]),
    /two layers are named 'x'/,
  );
  assert.throws(
    () => new Sequential([new layers.Dense(2, { inputShape: [2] }), new layers.Dense(2, { inputShape: [2] })]),
    /only the first layer may declare inputShape/,
  );
  const m = new Sequential([new layers.Dense(2, { inputShape: [3] })]);
  assert.throws(() => m.predict(tensor([[1, 2]])), /does not match the model's input shape/);
});
