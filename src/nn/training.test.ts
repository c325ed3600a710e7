/**
 * trainOnBatch never returns normally with a NaN/Inf loss or weight: it throws the
 * same stop message fit records (naming the step and the layer) and keeps the
 * weights and optimizer state from before the step. The numbers are closed forms:
 * a Dense(1) without bias on x = [[1e10]], w = 1, y = 0 has MSE (1e10)² = 1e20 and
 * dL/dw = 2·1e10·1e10 = 2e20 (finite in float32); SGD with lr 1e20 moves w by −2e40,
 * beyond float32's 3.4e38 → w = −Inf after the update.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential } from './model.js';
import * as layers from './layers/index.js';
import { SGD, Adam } from './optimizers/index.js';
import { Tensor } from '../tensor/tensor.js';
import { NonFiniteTrainingError } from './training.js';

const t = (values: number[], shape: number[]) => new Tensor(Float32Array.from(values), shape);

function oneWeight(optimizer: SGD | Adam, w = 1): Sequential {
  const m = new Sequential([new layers.Dense(1, { inputShape: [1], useBias: false, name: 'only' })]);
  m.build([1]);
  m.setWeights([t([w], [1, 1])]);
  m.compile({ optimizer, loss: 'mse' });
  return m;
}

test('trainOnBatch: an update that overflows a weight throws, names step and layer, and is not applied', () => {
  const optimizer = new SGD({ learningRate: 1e20 });
  const m = oneWeight(optimizer);
  let caught: unknown;
  try {
    m.trainOnBatch(t([1e10], [1, 1]), t([0], [1, 1]));
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof NonFiniteTrainingError, `expected a NonFiniteTrainingError; got ${String(caught)}`);
  assert.match(caught.message, /^Training stopped at Sequential '.*'\.trainOnBatch step 1: /);
  assert.match(caught.message, /weight 'only\/kernel' of layer 'only' \(Dense\) became -Infinity/);
  assert.equal(caught.step, 1);
  assert.equal(caught.layer, 'only');
  assert.equal(caught.loss, Math.fround(1e20)); // the loss is a float32 scalar
  assert.deepEqual(Array.from(m.weights[0]!.data), [1], 'the weight from before the step');
  assert.equal(optimizer.iterations, 0);
  // The model is still usable: a sane step applies w ← w − lr·2(w·x − y)x = 1 − 0.1·2·1·1 = 0.8.
  optimizer.learningRate = 0.1;
  const r = m.trainOnBatch(t([1], [1, 1]), t([0], [1, 1]));
  assert.equal(r.loss, 1);
  assert.ok(Math.abs(m.weights[0]!.data[0]! - 0.8) < 1e-7);
  assert.equal(optimizer.iterations, 1);
});

test('trainOnBatch: a non-finite loss throws naming the layer whose output overflowed; nothing is applied', () => {
  const optimizer = new SGD({ learningRate: 0.01 });
  const m = oneWeight(optimizer, 3e38);
  // 3e38·10 overflows float32 in the forward pass → the output of 'only' is Inf, the loss too.
  assert.throws(
    () => m.trainOnBatch(t([10], [1, 1]), t([0], [1, 1])),
    (e: unknown) =>
      e instanceof NonFiniteTrainingError &&
      e.layer === 'only' &&
      !Number.isFinite(e.loss) &&
      /trainOnBatch step 1: the loss became Infinity; the first NaN\/Inf appeared/.test(e.message) &&
      /in the output of layer 'only' \(Dense\)/.test(e.message),
  );
  assert.deepEqual(Array.from(m.weights[0]!.data), [3e38].map(Math.fround));
  assert.equal(optimizer.iterations, 0);
  // A NaN target: the loss is NaN with every output finite.
  assert.throws(() => m.trainOnBatch(t([0], [1, 1]), t([NaN], [1, 1])), /step 1: the loss became NaN/);
});

test('trainOnBatch: Adam state (moments, iterations) is rolled back with the weights', () => {
  const optimizer = new Adam({ learningRate: 0.001 });
  const m = oneWeight(optimizer);
  m.trainOnBatch(t([1], [1, 1]), t([0], [1, 1]));
  const w = Array.from(m.weights[0]!.data);
  const slots = optimizer.getSlots(m.trainableWeights[0]!)!.map((a) => Array.from(a));
  // Adam's step is ≈ lr whatever the gradient: lr 1e39 takes the weight past float32's range.
  optimizer.learningRate = 1e39;
  assert.throws(
    () => m.trainOnBatch(t([1], [1, 1]), t([0], [1, 1])),
    /trainOnBatch step 2: weight 'only\/kernel'.*after the update/,
  );
  assert.deepEqual(Array.from(m.weights[0]!.data), w);
  assert.deepEqual(
    optimizer.getSlots(m.trainableWeights[0]!)!.map((a) => Array.from(a)),
    slots,
  );
  assert.equal(optimizer.iterations, 1);
});
