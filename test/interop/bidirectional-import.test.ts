/**
 * Bidirectional through Keras JSON and the TF.js layers format: a Keras 3 document (layer + backward_layer) loads
 * with its weights named forward_/backward_; a tf.keras 2 / TF.js document (layer only) builds the mirror; the inner
 * layer is checked in the document's dialect (a tf.keras 2 LSTM inside keeps that dialect's 'hard_sigmoid', which
 * is refused as for a top-level LSTM); a model saves and loads in the TF.js format and predicts the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, Tensor, layers, modelFromKerasJson } from '../../src/index.js';
import { modelFromArtifacts, modelToArtifacts } from '../../src/nn/serialization/index.js';

const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const lstm = (name: string, goBackwards: boolean) => ({
  module: 'keras.layers',
  class_name: 'LSTM',
  registered_name: null,
  config: { name, trainable: true, dtype: policy, units: 3, return_sequences: true, go_backwards: goBackwards },
});

test('a Keras 3 document with Bidirectional(LSTM) loads: forward and backward layers, weights, output shape', () => {
  const doc = {
    module: 'keras',
    class_name: 'Sequential',
    registered_name: null,
    config: {
      name: 'sequential',
      trainable: true,
      dtype: policy,
      layers: [
        { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 5, 2], name: 'input' } },
        {
          module: 'keras.layers',
          class_name: 'Bidirectional',
          registered_name: null,
          config: {
            name: 'bidirectional',
            trainable: true,
            dtype: policy,
            merge_mode: 'concat',
            layer: lstm('forward_lstm', false),
            backward_layer: lstm('backward_lstm', true),
          },
        },
      ],
    },
  };
  const m = modelFromKerasJson(JSON.stringify(doc));
  const bi = m.layers[0] as layers.Bidirectional;
  assert.equal(bi.backwardLayer.goBackwards, true);
  assert.deepEqual(
    bi.weights.map((w) => w.name),
    ['kernel', 'recurrent_kernel', 'bias']
      .flatMap((k) => [`bidirectional/forward_lstm/${k}`])
      .concat(['kernel', 'recurrent_kernel', 'bias'].map((k) => `bidirectional/backward_lstm/${k}`)),
  );
  const x = new Tensor(
    Float32Array.from({ length: 2 * 5 * 2 }, (_v, i) => Math.cos(i)),
    [2, 5, 2],
  );
  assert.deepEqual(m.predict(x).shape, [2, 5, 6]);
});

test("a tf.keras 2 Bidirectional(LSTM) keeps that dialect's hard_sigmoid inside, read as at top level", () => {
  const doc = (recurrent: string) => ({
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: [
        {
          class_name: 'Bidirectional',
          config: {
            name: 'bidirectional',
            batch_input_shape: [null, 4, 2],
            dtype: 'float32',
            merge_mode: 'sum',
            layer: {
              class_name: 'LSTM',
              config: { name: 'lstm', units: 2, dtype: 'float32', recurrent_activation: recurrent },
            },
          },
        },
      ],
    },
  });
  const hard = modelFromKerasJson(JSON.stringify(doc('hard_sigmoid'))).layers[0] as layers.Bidirectional;
  for (const inner of [hard.forwardLayer, hard.backwardLayer])
    assert.equal((inner as layers.LSTM).recurrentActivation.spec.name, 'hard_sigmoid_keras2');
  const m = modelFromKerasJson(JSON.stringify(doc('sigmoid')));
  const bi = m.layers[0] as layers.Bidirectional;
  assert.equal(bi.forwardLayer.name, 'forward_lstm');
  assert.equal(bi.backwardLayer.name, 'backward_lstm');
  assert.equal(bi.backwardLayer.goBackwards, true);
  assert.deepEqual(m.predict(new Tensor(new Float32Array(16).fill(0.5), [2, 4, 2])).shape, [2, 2]);
});

test('Bidirectional(GRU) saves and loads in the TF.js layers format and predicts the same', () => {
  const model = new Sequential([
    new layers.Bidirectional(new layers.GRU(3, { returnSequences: true }), { inputShape: [4, 2] }),
    new layers.Bidirectional(new layers.SimpleRNN(2), { mergeMode: 'ave' }),
    new layers.Dense(1),
  ]);
  const art = modelToArtifacts(model);
  const json = { ...art.modelJson, weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs }] };
  const inner = JSON.stringify(json.modelTopology);
  assert.doesNotMatch(inner, /backward_layer/, 'TF.js builds the backward layer itself');
  const loaded = modelFromArtifacts(json, [art.weightData], 'model.json');
  const x = new Tensor(
    Float32Array.from({ length: 3 * 4 * 2 }, (_v, i) => Math.sin(0.3 * i)),
    [3, 4, 2],
  );
  assert.deepEqual(loaded.predict(x).data, model.predict(x).data);
});
