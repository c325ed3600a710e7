import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunConfig, buildModel, loadData, parseDataSpec } from './index.js';

const base = {
  data: { dataset: 'spirals', n: 200 },
  model: [
    { repeat: 3, layers: [{ type: 'Dense', units: 8, activation: 'relu', kernel_initializer: 'he_normal' }] },
    { type: 'Dense', units: 3, activation: 'softmax' },
  ],
  compile: {
    optimizer: { class_name: 'SGD', config: { learning_rate: 0.1, clipnorm: 1.0 } },
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  },
  fit: { epochs: 2, batch_size: 16 },
};

test('repeat blocks expand and the first layer takes the data shape', () => {
  const config = parseRunConfig(structuredClone(base));
  assert.equal(config.layers.length, 4);
  const model = buildModel(config, [2]);
  assert.deepEqual(model.getOutputShape(), [3]);
  assert.deepEqual(model.layers[0]!.builtInputShape, [2]);
  assert.equal(model.compiled!.optimizer.clipnorm, 1);
});

test('unknown keys and values are errors with suggestions', () => {
  const cases: [(c: any) => void, RegExp][] = [
    [
      (c) => {
        c.fitt = {};
      },
      /unknown key 'fitt'.*Did you mean 'fit'/,
    ],
    [
      (c) => {
        c.fit.batchsize = 3;
      },
      /unknown key 'batchsize'.*Did you mean 'batch_size'/,
    ],
    [
      (c) => {
        c.model[0].layers[0].kernel_initialiser = 'he_normal';
      },
      /kernel_initialiser.*Did you mean 'kernel_initializer'/,
    ],
    [
      (c) => {
        c.model[1].type = 'Dens';
      },
      /unknown layer type 'Dens'.*Did you mean 'Dense'/,
    ],
    [
      (c) => {
        c.compile.optimizer = 'sgdd';
      },
      /unknown optimizer 'sgdd'.*Did you mean 'sgd'/,
    ],
    [
      (c) => {
        c.compile.loss = 'sparse_categorical_crossentropyy';
      },
      /Did you mean 'sparse_categorical_crossentropy'/,
    ],
    [
      (c) => {
        c.data.dataset = 'fashion';
      },
      /Invalid dataset/,
    ],
    [
      (c) => {
        c.model[0].repeat = 1e9;
      },
      /Invalid repeat/,
    ],
    [
      (c) => {
        c.fit.epochs = -1;
      },
      /Invalid epochs/,
    ],
  ];
  for (const [mutate, expected] of cases) {
    const c = structuredClone(base);
    mutate(c);
    assert.throws(() => buildModel(parseRunConfig(c), [2]), expected);
  }
});

test('bad layer arguments name the layer and the argument', () => {
  const c = structuredClone(base) as any;
  c.model[1].units = 0;
  assert.throws(
    () => buildModel(parseRunConfig(c), [2]),
    /Invalid units for Dense '.*': expected a positive integer.*received 0/,
  );
  c.model[1].units = 1e12;
  assert.throws(() => buildModel(parseRunConfig(c), [2]), /Invalid units/);
});

test('a Keras model.to_json() document is accepted as the model', () => {
  const keras3 = {
    module: 'keras',
    class_name: 'Sequential',
    registered_name: null,
    config: {
      name: 'sequential',
      trainable: true,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
      layers: [
        {
          module: 'keras.layers',
          class_name: 'InputLayer',
          config: { batch_shape: [null, 2], dtype: 'float32', sparse: false, name: 'input_layer' },
          registered_name: null,
        },
        {
          module: 'keras.layers',
          class_name: 'Dense',
          config: {
            name: 'dense',
            trainable: true,
            dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
            units: 5,
            activation: 'selu',
            use_bias: true,
            kernel_initializer: {
              module: 'keras.initializers',
              class_name: 'LecunNormal',
              config: { seed: null },
              registered_name: null,
            },
            bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
            kernel_regularizer: null,
            bias_regularizer: null,
            kernel_constraint: null,
            bias_constraint: null,
          },
          registered_name: null,
        },
        {
          module: 'keras.layers',
          class_name: 'AlphaDropout',
          config: { name: 'alpha_dropout', rate: 0.1, seed: null, noise_shape: null },
          registered_name: null,
        },
        {
          module: 'keras.layers',
          class_name: 'Dense',
          config: { name: 'dense_1', units: 3, activation: 'softmax' },
          registered_name: null,
        },
      ],
    },
  };
  const config = parseRunConfig({ ...structuredClone(base), model: keras3 });
  const model = buildModel(config, [2]);
  assert.deepEqual(
    model.layers.map((l) => l.className),
    ['Dense', 'AlphaDropout', 'Dense'],
  );
  assert.equal(model.layers[0]!.name, 'dense');
});

test('"shape": "image" loads Fashion-MNIST as [N, 28, 28, 1] and a CNN config builds on it', () => {
  const data = loadData(parseDataSpec({ dataset: 'fashion-mnist', limit: 20, test_limit: 10, shape: 'image' }));
  assert.deepEqual(data.x.shape, [20, 28, 28, 1]);
  assert.deepEqual(data.xTest.shape, [10, 28, 28, 1]);
  assert.deepEqual(data.inputShape, [28, 28, 1]);
  const config = parseRunConfig({
    ...structuredClone(base),
    data: { dataset: 'fashion-mnist', shape: 'image' },
    model: [
      { type: 'Conv2D', filters: 4, kernel_size: 3, activation: 'relu', kernel_initializer: 'he_normal' },
      { type: 'MaxPooling2D', pool_size: 2 },
      { type: 'Flatten' },
      { type: 'Dense', units: 10, activation: 'softmax' },
    ],
  });
  const model = buildModel(config, data.inputShape);
  assert.deepEqual(model.getOutputShape(), [10]);
  assert.equal(model.predict(data.xTest).shape[1], 10);
  assert.throws(() => parseDataSpec({ dataset: 'spirals', shape: 'image' }), /needs an image data set/);
  assert.throws(() => parseDataSpec({ dataset: 'mnist', shape: 'imag' }), /Invalid shape .*"imag"/);
});
