/**
 * Loss identifiers as Keras 3 accepts them (keras/src/losses/__init__.py: ALL_OBJECTS_DICT
 * maps class names and function names, plus 'mse'/'MSE' and 'bce'/'BCE'; a
 * {class_name, config} dict is deserialized into the class with its config, e.g. from_logits).
 * Expected values are closed forms:
 *   MSE = mean((y − p)²); BCE from logits z = max(z, 0) − z·t + log(1 + e^−|z|);
 *   sparse CE from logits = logsumexp(z) − z_label.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as losses from './losses.js';
import { Sequential } from './model.js';
import * as layers from './layers/index.js';
import { Tensor } from '../tensor/tensor.js';

const t = (values: number[], shape: number[]) => new Tensor(Float32Array.from(values), shape);
const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test('every Keras spelling of the four losses resolves, to the same function', () => {
  const spellings: Record<string, string[]> = {
    sparse_categorical_crossentropy: [
      'sparse_categorical_crossentropy',
      'SparseCategoricalCrossentropy',
      'sparseCategoricalCrossentropy',
    ],
    categorical_crossentropy: ['categorical_crossentropy', 'CategoricalCrossentropy', 'categoricalCrossentropy'],
    binary_crossentropy: ['binary_crossentropy', 'BinaryCrossentropy', 'bce', 'BCE', 'binaryCrossentropy'],
    mean_squared_error: ['mean_squared_error', 'MeanSquaredError', 'mse', 'MSE', 'meanSquaredError'],
  };
  for (const [canonical, names] of Object.entries(spellings)) {
    for (const name of names) {
      assert.equal(losses.get(name).lossName, canonical, name);
      assert.equal(losses.get({ class_name: name, config: {} }).lossName, canonical, `{class_name: ${name}}`);
    }
  }
  assert.deepEqual([...losses.lossNames()].sort(), Object.keys(spellings).sort());
});

test('MeanSquaredError by class name = mean((y − p)²)', () => {
  const y = t([1, 0, 2, 4], [2, 2]),
    p = t([0, 0, 4, 4], [2, 2]);
  // (1 + 0 + 4 + 0)/4 = 1.25
  for (const id of ['MeanSquaredError', 'mse', 'MSE']) close(losses.get(id)(y, p).data[0]!, 1.25, id);
});

test('{class_name, config: {from_logits: true}} computes the cross-entropy from logits', () => {
  const z = [2, 0, -1];
  const lse = Math.log(Math.exp(2) + 1 + Math.exp(-1));
  const sparse = losses.get({
    class_name: 'SparseCategoricalCrossentropy',
    config: { from_logits: true, name: 'scce', reduction: 'sum_over_batch_size' },
  });
  close(sparse(t([0], [1]), t(z, [1, 3])).data[0]!, lse - 2, 'sparse CE from logits, label 0');
  close(sparse(t([2], [1]), t(z, [1, 3])).data[0]!, lse + 1, 'sparse CE from logits, label 2');
  const cat = losses.get({ class_name: 'CategoricalCrossentropy', config: { from_logits: true } });
  close(cat(t([0, 1, 0], [1, 3]), t(z, [1, 3])).data[0]!, lse - 0, 'CE from logits');
  const bce = losses.get({ class_name: 'BinaryCrossentropy', config: { from_logits: true } });
  // z = 0 → log 2 for any target; z = 3, t = 1 → log(1 + e^−3).
  close(bce(t([1, 0], [2, 1]), t([0, 0], [2, 1])).data[0]!, Math.log(2), 'BCE from logits at 0');
  close(bce(t([1], [1, 1]), t([3], [1, 1])).data[0]!, Math.log1p(Math.exp(-3)), 'BCE from logits at 3');
  // from_logits: false (Keras's default) treats them as probabilities: a different number.
  const probs = losses.get({ class_name: 'CategoricalCrossentropy', config: { from_logits: false } });
  close(probs(t([0, 1, 0], [1, 3]), t([0.2, 0.5, 0.3], [1, 3])).data[0]!, -Math.log(0.5), 'CE from probabilities');
});

test('compile accepts a Keras loss config and class names', () => {
  const m = new Sequential([new layers.Dense(3, { inputShape: [2] })]);
  m.compile({
    optimizer: 'sgd',
    loss: { class_name: 'SparseCategoricalCrossentropy', config: { from_logits: true } },
    metrics: ['accuracy'],
  });
  const r = m.evaluate(t([1, 2, 3, 4], [2, 2]), t([0, 2], [2]));
  assert.ok(Number.isFinite(r.loss!));
  m.compile({ optimizer: 'sgd', loss: 'CategoricalCrossentropy' });
  m.compile({ optimizer: 'sgd', loss: 'MSE' });
});

test('typos get did-you-mean; unsupported config values and keys are refused', () => {
  assert.throws(
    () => losses.get('sparse_categorical_crossentropi'),
    /unknown loss 'sparse_categorical_crossentropi'\. Did you mean 'sparse_categorical_crossentropy'\?/,
  );
  // A case-only typo: util/suggest.ts ranks every case variant alike, so the camelCase
  // spelling may be the one offered.
  assert.throws(() => losses.get('SparseCategoricalCrossEntropy'), /Did you mean '[Ss]parseCategoricalCrossentropy'\?/);
  assert.throws(() => losses.get('MeanSquaredErorr'), /Did you mean 'MeanSquaredError'\?/);
  assert.throws(
    () => losses.get({ class_name: 'BinaryCrosentropy', config: {} }),
    /Did you mean 'BinaryCrossentropy'\?/,
  );
  assert.throws(
    () => losses.get({ class_name: 'BinaryCrossentropy', config: { from_logit: true } }),
    /unknown config key 'from_logit'\. Did you mean 'from_logits'\?/,
  );
  assert.throws(
    () => losses.get({ class_name: 'MeanSquaredError', config: { from_logits: true } }),
    /unknown config key 'from_logits'/,
  );
  assert.throws(
    () => losses.get({ class_name: 'CategoricalCrossentropy', config: { label_smoothing: 0.1 } }),
    /label_smoothing = 0\.1 is not supported/,
  );
  assert.throws(
    () => losses.get({ class_name: 'BinaryCrossentropy', config: { from_logits: false } }, true),
    /contradicts fromLogits = true/,
  );
  assert.throws(() => losses.get('mse', true), /fromLogits applies to the cross-entropies/);
  const m = new Sequential([new layers.Dense(1, { inputShape: [2] })]);
  assert.throws(
    () => m.compile({ optimizer: 'sgd', loss: 'mean_squared_eror' as 'mse' }),
    /compile loss: unknown loss 'mean_squared_eror'\. Did you mean 'mean_squared_error'\?/,
  );
});
