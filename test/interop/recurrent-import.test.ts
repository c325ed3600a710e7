/**
 * Recurrent layers through Keras JSON in both dialects: a Keras 3 document (LSTM with recurrent_activation
 * 'sigmoid', unit_forget_bias, GRU reset_after, Embedding, LayerNormalization) loads with Keras 3's meaning; a
 * tf.keras 2 / TF.js document whose LSTM keeps that dialect's default recurrent_activation 'hard_sigmoid'
 * (clip(0.2x + 1/2), not Keras 3's clip(x/6 + 1/2)) is refused with a message that names the key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, Tensor, layers, modelFromKerasJson } from '../../src/index.js';
import { modelFromArtifacts, modelToArtifacts } from '../../src/nn/serialization/index.js';

const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const entry = (class_name: string, config: Record<string, unknown>) => ({
  module: 'keras.layers',
  class_name,
  registered_name: null,
  config: { trainable: true, dtype: policy, ...config },
});

test('a Keras 3 document with Embedding, LSTM, GRU and LayerNormalization loads with Keras 3 defaults', () => {
  const doc = {
    module: 'keras',
    class_name: 'Sequential',
    registered_name: null,
    config: {
      name: 'sequential',
      trainable: true,
      dtype: policy,
      layers: [
        { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 6], name: 'input_layer' } },
        entry('Embedding', { name: 'embedding', input_dim: 20, output_dim: 4, mask_zero: false }),
        entry('LSTM', {
          name: 'lstm',
          units: 5,
          activation: 'tanh',
          recurrent_activation: 'sigmoid',
          unit_forget_bias: true,
          return_sequences: true,
          dropout: 0.0,
          recurrent_dropout: 0.0,
          seed: null,
          use_cudnn: 'auto',
        }),
        entry('LayerNormalization', { name: 'layer_normalization', axis: -1, epsilon: 0.001 }),
        entry('GRU', { name: 'gru', units: 3, reset_after: true, recurrent_activation: 'sigmoid' }),
      ],
    },
  };
  const m = modelFromKerasJson(JSON.stringify(doc));
  assert.deepEqual(
    m.layers.map((l) => l.className),
    ['Embedding', 'LSTM', 'LayerNormalization', 'GRU'],
  );
  const lstm = m.layers[1] as layers.LSTM;
  assert.equal(lstm.recurrentActivation.spec.name, 'sigmoid');
  assert.deepEqual(
    m.layers[3]!.weights.map((w) => w.shape),
    [
      [5, 9],
      [3, 9],
      [2, 9],
    ],
  );
  // unit_forget_bias: the forget block of the bias starts at 1, the others at 0.
  const bias = Array.from(lstm.bias!.data);
  assert.deepEqual(bias, [...Array(5).fill(0), ...Array(5).fill(1), ...Array(10).fill(0)]);
  const ids = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 19, 0, 0, 7, 7, 7, 7]), [2, 6]);
  assert.deepEqual(m.predict(ids).shape, [2, 3]);
});

test("a tf.keras 2 / TF.js LSTM's recurrent_activation 'hard_sigmoid' (that dialect's default) means its own", () => {
  const doc = {
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: [
        {
          class_name: 'LSTM',
          config: { name: 'lstm', units: 4, batch_input_shape: [null, 3, 2], recurrent_activation: 'hard_sigmoid' },
        },
      ],
    },
  };
  // clip(0.2x + 1/2, 0, 1) there, not Keras 3's clip(x/6 + 1/2): Keel's hard_sigmoid_keras2.
  const lstm = modelFromKerasJson(JSON.stringify(doc)).layers[0] as layers.LSTM;
  assert.equal(lstm.recurrentActivation.spec.name, 'hard_sigmoid_keras2');
  doc.config.layers[0]!.config.recurrent_activation = 'sigmoid';
  assert.equal(modelFromKerasJson(JSON.stringify(doc)).layers[0]!.className, 'LSTM');
});

test('the TF.js layers format round-trips a stacked recurrent model with the same predictions', () => {
  const model = new Sequential([
    new layers.GRU(4, { returnSequences: true, resetAfter: false, inputShape: [5, 3] }),
    new layers.SimpleRNN(3, { returnSequences: true }),
    new layers.LSTM(2),
  ]);
  model.build([5, 3]);
  const art = modelToArtifacts(model);
  const json = { ...art.modelJson, weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs }] };
  const names = art.weightSpecs.map((w) => w.name);
  assert.ok(names.includes('lstm/recurrent_kernel') || names.some((n) => n.endsWith('/recurrent_kernel')));
  const loaded = modelFromArtifacts(json, [art.weightData], 'model.json');
  const x = new Tensor(
    Float32Array.from({ length: 30 }, (_, i) => Math.sin(i)),
    [2, 5, 3],
  );
  assert.deepEqual(loaded.predict(x).data, model.predict(x).data);
});
