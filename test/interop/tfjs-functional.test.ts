/**
 * Functional models and TensorFlow.js 4.22: a Keel graph with two inputs, two outputs, a residual Add, a
 * Concatenate and a shared layer, saved by Keel, loads in TF.js (tf.loadLayersModel) and predicts the same;
 * a functional model built and saved by TF.js (tf.model with tf.input, add, concatenate) loads in Keel and
 * predicts the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Model, Random, Tensor, input, layers, loadModel, setSeed } from '../../src/index.js';
import { tf, tfl, useCpuBackend, dirReader, dirWriter } from '../helpers/tfjs-io.js';

function randomInput(rows: number, width: number, seed: number): Tensor {
  const rng = new Random(seed);
  return new Tensor(
    Float32Array.from({ length: rows * width }, () => 1.5 * rng.normal()),
    [rows, width],
  );
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

test('a Keel functional model (two inputs and outputs, Add, Concatenate, shared layer) loads in TF.js', async () => {
  await useCpuBackend();
  setSeed(21);
  const a = input({ shape: [5], name: 'a' });
  const b = input({ shape: [3], name: 'b' });
  const h = new layers.Dense(6, { activation: 'relu', biasInitializer: 'random_normal' }).apply(a);
  const shared = new layers.Dense(6, { activation: 'tanh', biasInitializer: 'random_normal', name: 'shared' });
  const r = new layers.Add().apply([h, shared.apply(shared.apply(h))]);
  const m = new layers.Dense(2, { activation: 'elu' }).apply(b);
  const cat = new layers.Concatenate().apply([r, m]);
  const out1 = new layers.Dense(3, { activation: 'softmax', name: 'cls' }).apply(cat);
  const gated = new layers.Multiply().apply([h, new layers.Average().apply([h, r])]);
  const out2 = new layers.Dense(1, { name: 'reg' }).apply(gated);
  const model = new Model({ inputs: [a, b], outputs: [out1, out2] });
  const dir = mkdtempSync(join(tmpdir(), 'keel-tfjs-functional-'));
  try {
    await model.save(dir);
    const doc = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { modelTopology: { class_name: string } };
    assert.equal(doc.modelTopology.class_name, 'Functional');
    const tfModel = await tfl.loadLayersModel(dirReader(dir));
    const xa = randomInput(20, 5, 1);
    const xb = randomInput(20, 3, 2);
    const theirs = tfModel.predict([tf.tensor(xa.data, xa.shape), tf.tensor(xb.data, xb.shape)]) as tf.Tensor[];
    const ours = model.predict<Tensor[]>([xa, xb]);
    const diffs = ours.map((o, i) => maxAbsDiff(o.data, theirs[i]!.dataSync()));
    console.log(`  Keel → TF.js functional: max |Δ| = ${Math.max(...diffs).toExponential(2)}`);
    assert.ok(Math.max(...diffs) <= 1e-5, `max abs diff ${diffs.join(', ')}`);
    const again = await loadModel(dir);
    assert.deepEqual(
      again.predict<Tensor[]>([xa, xb]).map((t) => Array.from(t.data)),
      ours.map((t) => Array.from(t.data)),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a functional model built and saved by TF.js loads in Keel and predicts the same', async () => {
  await useCpuBackend();
  const x = tfl.input({ shape: [4], name: 'x' });
  const h = tfl.layers.dense({ units: 6, activation: 'relu', name: 'h' }).apply(x) as tfl.SymbolicTensor;
  const g = tfl.layers.dense({ units: 6, name: 'g' }).apply(h) as tfl.SymbolicTensor;
  const r = tfl.layers.add({ name: 'res' }).apply([h, g]) as tfl.SymbolicTensor;
  const side = tfl.layers.dense({ units: 2, activation: 'tanh', name: 'side' }).apply(x) as tfl.SymbolicTensor;
  const cat = tfl.layers.concatenate({ name: 'cat' }).apply([r, side]) as tfl.SymbolicTensor;
  const y = tfl.layers.dense({ units: 3, activation: 'softmax', name: 'y' }).apply(cat) as tfl.SymbolicTensor;
  const m = tfl.model({ inputs: x, outputs: y });
  const rng = new Random(5);
  m.setWeights(
    m.getWeights().map((w) =>
      tf.tensor(
        Float32Array.from({ length: w.size }, () => rng.normal()),
        w.shape,
      ),
    ),
  );
  const dir = mkdtempSync(join(tmpdir(), 'tfjs-keel-functional-'));
  try {
    await m.save(dirWriter(dir));
    const model = await loadModel(dir);
    assert.deepEqual(
      model.layers.map((l) => l.className),
      ['Dense', 'Dense', 'Add', 'Dense', 'Concatenate', 'Dense'],
    );
    const xt = randomInput(30, 4, 3);
    const theirs = (m.predict(tf.tensor(xt.data, xt.shape)) as tf.Tensor).dataSync();
    const diff = maxAbsDiff(model.predict(xt).data, theirs);
    console.log(`  TF.js → Keel functional: max |Δ| = ${diff.toExponential(2)}`);
    assert.ok(diff <= 1e-5, `max abs diff ${diff}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
