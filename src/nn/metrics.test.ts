/**
 * metrics: ['accuracy'] resolves from the shapes of targets and predictions as Keras 3 does
 * (keras/src/trainers/compile_utils.py, is_binary_or_sparse_categorical + get_metric):
 *   is_binary = y_pred.shape[-1] == 1
 *   is_sparse_categorical = rank(y_true) < rank(y_pred) or (y_true.shape[-1] == 1 and y_pred.shape[-1] > 1)
 *   binary → BinaryAccuracy, elif sparse → SparseCategoricalAccuracy, else CategoricalAccuracy,
 * each logged under the identifier as written. Expected accuracies below are counted by hand
 * with the formulas of keras/src/metrics/accuracy_metrics.py (binary: y_true == (y_pred > 0.5);
 * categorical: argmax == argmax; sparse: label == argmax).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential } from './model.js';
import * as layers from './layers/index.js';
import { Tensor } from '../tensor/tensor.js';
import { resolveAccuracy, getMetric, countCorrect } from './metrics.js';

/**
 * A linear model whose predictions on x = I₂ are exactly the rows of `pred` (kernel = pred, no bias):
 *   row 0: [0.4, 0.3, 0.3]   row 1: [0.45, 0.1, 0.2]
 */
const PRED = [0.4, 0.3, 0.3, 0.45, 0.1, 0.2];
function fixedModel(): Sequential {
  const m = new Sequential([new layers.Dense(3, { inputShape: [2], useBias: false })]);
  m.build([2]);
  m.setWeights([new Tensor(Float32Array.from(PRED), [2, 3])]);
  return m;
}
const X = new Tensor(Float32Array.from([1, 0, 0, 1]), [2, 2]);
const ONE_HOT = new Tensor(Float32Array.from([1, 0, 0, 0, 1, 0]), [2, 3]);
const LABELS = new Tensor(Float32Array.from([0, 1]), [2]);

test("MSE on one-hot targets with metrics ['accuracy'] is categorical accuracy: 0.5, not binary's 0.667", () => {
  // Keras: y_true [2, 3], y_pred [2, 3] → neither binary nor sparse → categorical_accuracy.
  // argmax rows: [0, 0] vs labels [0, 1] → 1/2. (Binary accuracy would count 4 of 6 elements: 0.667.)
  const m = fixedModel();
  m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['accuracy'] });
  const r = m.evaluate(X, ONE_HOT);
  assert.equal(r.accuracy, 0.5);
  // trainOnBatch reports the metric of the forward pass before its update.
  assert.equal(m.trainOnBatch(X, ONE_HOT).accuracy, 0.5);
});

test("'binary_accuracy' forced on the same one-hot case gives Keras's binary value 4/6", () => {
  const m = fixedModel();
  m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['binary_accuracy'] });
  const r = m.evaluate(X, ONE_HOT);
  // y_pred > 0.5 is all zeros; y_true has one 1 per row → 2 of 3 equal per row.
  assert.ok(Math.abs(r.binary_accuracy! - 4 / 6) < 1e-12, String(r.binary_accuracy));
  assert.equal(r.accuracy, undefined);
});

test("integer labels, metrics ['acc', 'sparse_categorical_accuracy']: sparse, logged under the names given", () => {
  const m = fixedModel();
  m.compile({
    optimizer: 'sgd',
    loss: 'sparse_categorical_crossentropy',
    metrics: ['acc', 'sparse_categorical_accuracy', 'SparseCategoricalAccuracy'],
  });
  const r = m.evaluate(X, LABELS);
  assert.deepEqual(Object.keys(r).sort(), ['SparseCategoricalAccuracy', 'acc', 'loss', 'sparse_categorical_accuracy']);
  for (const k of ['acc', 'sparse_categorical_accuracy', 'SparseCategoricalAccuracy']) assert.equal(r[k], 0.5, k);
});

test('fit logs each metric under its name, and val_<name> for validation data', async () => {
  const m = fixedModel();
  m.compile({
    optimizer: { class_name: 'SGD', config: { learning_rate: 1e-9 } },
    loss: 'mse',
    metrics: ['categorical_accuracy'],
  });
  const h = await m.fit(X, ONE_HOT, {
    epochs: 1,
    batchSize: 2,
    verbose: 0,
    shuffle: false,
    validationData: [X, ONE_HOT],
  });
  assert.deepEqual(h.history.categorical_accuracy, [0.5]);
  assert.deepEqual(h.history.val_categorical_accuracy, [0.5]);
});

test('resolveAccuracy follows is_binary_or_sparse_categorical on every shape pairing', () => {
  assert.equal(resolveAccuracy([4], [4, 3]), 'sparse_categorical'); // rank(y_true) < rank(y_pred)
  assert.equal(resolveAccuracy([4, 1], [4, 3]), 'sparse_categorical'); // last dims 1 vs 3
  assert.equal(resolveAccuracy([4, 3], [4, 3]), 'categorical');
  assert.equal(resolveAccuracy([4, 1], [4, 1]), 'binary'); // prediction's last dim 1
  assert.equal(resolveAccuracy([4], [4, 1]), 'binary'); // binary is tested first
  assert.equal(resolveAccuracy([4, 5], [4, 5]), 'categorical');
});

test('binary accuracy compares the target itself with y_pred > 0.5 (Keras does not threshold y_true)', () => {
  const yTrue = new Tensor(Float32Array.from([0.9, 1, 0, 0]), [4, 1]);
  const yPred = new Tensor(Float32Array.from([0.95, 0.95, 0.2, 0.7]), [4, 1]);
  // equal(0.9, 1) false, equal(1, 1) true, equal(0, 0) true, equal(0, 1) false → 2.
  assert.equal(countCorrect('binary', yTrue, yPred), 2);
});

test("unknown metric names get a did-you-mean error; 'accuracy'/'acc' are case-insensitive as in Keras", () => {
  assert.throws(() => getMetric('acuracy'), /unknown metric 'acuracy'\. Did you mean 'accuracy'\?/);
  assert.throws(() => getMetric('sparse_categorical_acuracy'), /Did you mean 'sparse_categorical_accuracy'\?/);
  assert.throws(
    () => getMetric('mse'),
    /unknown metric 'mse'.*Known: accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy/,
  );
  assert.deepEqual(getMetric('ACC'), { name: 'ACC', kind: 'auto' });
  assert.deepEqual(getMetric('CategoricalAccuracy'), { name: 'CategoricalAccuracy', kind: 'categorical' });
  const m = fixedModel();
  assert.throws(
    () => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['acurracy' as 'accuracy'] }),
    /compile metrics: unknown metric 'acurracy'\. Did you mean 'accuracy'\?/,
  );
});

test('shape mismatches for a forced metric are explained', () => {
  const m = fixedModel();
  m.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['categorical_accuracy'] });
  assert.throws(
    () => m.evaluate(X, LABELS),
    /categorical_accuracy: categorical accuracy needs targets of the predictions' shape/,
  );
});
