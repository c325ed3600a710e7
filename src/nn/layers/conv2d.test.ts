import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layers, setSeed, Tensor } from '../../index.js';

function std(d: Float32Array): number {
  let s = 0,
    s2 = 0;
  for (const v of d) {
    s += v;
    s2 += v * v;
  }
  const m = s / d.length;
  return Math.sqrt(s2 / d.length - m * m);
}

test("Conv2D: the kernel initializer's fan includes the receptive field (He: std √(2 / (kh·kw·cin)))", () => {
  setSeed(1);
  const conv = new layers.Conv2D(64, { kernelSize: 3, kernelInitializer: 'he_normal' });
  conv.build([8, 8, 32]);
  assert.deepEqual(conv.kernel!.shape, [3, 3, 32, 64]);
  const expected = Math.sqrt(2 / (3 * 3 * 32));
  assert.ok(Math.abs(std(conv.kernel!.data) / expected - 1) < 0.03, `std ${std(conv.kernel!.data)} vs ${expected}`);
  const glorot = new layers.Conv1D(16, { kernelSize: 5 });
  glorot.build([20, 4]);
  const limit = Math.sqrt(6 / (5 * 4 + 5 * 16));
  assert.ok(Math.max(...Array.from(glorot.kernel!.data, Math.abs)) <= limit);
});

test('Conv2D / pooling: bad options and inputs are refused with the layer, the value and a fix', () => {
  assert.throws(() => new layers.Conv2D(8, {}), /Invalid kernelSize for Conv2D .*received undefined/);
  assert.throws(() => new layers.Conv2D(8, { kernelSize: [3] }), /list of 2 positive integers; received \[3\]/);
  assert.throws(() => new layers.Conv2D(8, { kernelSize: 3, padding: 'causal' as never }), /padding/);
  assert.throws(() => new layers.Conv2D(8, { kernelSize: 3, strides: 2, dilationRate: 2 }), /cannot both exceed 1/);
  assert.throws(() => new layers.Conv2D(8, { kernelSize: 3, kernelSise: 3 } as never), /Did you mean 'kernelSize'/);
  const c = new layers.Conv2D(4, { kernelSize: 5 });
  assert.throws(() => c.build([3, 3, 1]), /does not fit the input \[null, 3, 3, 1\].*\nhelp: use padding 'same'/s);
  assert.throws(() => new layers.Conv2D(4, { kernelSize: 3 }).build([28, 28]), /help: give images as \[height/);
  assert.throws(() => new layers.MaxPooling2D({ poolSize: 0 }), /Invalid poolSize/);
  assert.throws(() => new layers.Reshape([5, -1]).build([2, 3]), /cannot reshape/);
});

test('SpatialDropout2D drops whole channels per example, scaled by 1/(1 − rate)', () => {
  const layer = new layers.SpatialDropout2D(0.5, { seed: 3 });
  const x = new Tensor(new Float32Array(2 * 3 * 3 * 8).fill(1), [2, 3, 3, 8]);
  const y = layer.apply(x, { training: true }).data;
  let dropped = 0;
  for (let b = 0; b < 2; b++) {
    for (let c = 0; c < 8; c++) {
      const vals = new Set<number>();
      for (let p = 0; p < 9; p++) vals.add(y[(b * 9 + p) * 8 + c]!);
      assert.equal(vals.size, 1, 'one draw per (example, channel)');
      const v = [...vals][0]!;
      assert.ok(v === 0 || v === 2);
      if (v === 0) dropped++;
    }
  }
  assert.ok(dropped > 0 && dropped < 16);
  assert.deepEqual(Array.from(layer.apply(x, { training: false }).data), Array.from(x.data));
  assert.equal(layer.getConfig().noise_shape, undefined);
});

test('a Keras 3 CNN to_json() (DTypePolicy, module keys, tuples as lists) imports with Keras names', async () => {
  const { modelFromKerasJson } = await import('../../index.js');
  const dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
  const init = (cls: string) => ({
    module: 'keras.initializers',
    class_name: cls,
    config: { seed: null },
    registered_name: null,
  });
  const conv = (name: string, filters: number, kernelInit: string) => ({
    module: 'keras.layers',
    class_name: 'Conv2D',
    config: {
      name,
      trainable: true,
      dtype,
      filters,
      kernel_size: [3, 3],
      strides: [1, 1],
      padding: 'valid',
      data_format: 'channels_last',
      dilation_rate: [1, 1],
      groups: 1,
      activation: 'relu',
      use_bias: true,
      kernel_initializer: init(kernelInit),
      bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    },
    registered_name: null,
    build_config: { input_shape: null },
  });
  const pool = (name: string) => ({
    module: 'keras.layers',
    class_name: 'MaxPooling2D',
    config: {
      name,
      trainable: true,
      dtype,
      pool_size: [2, 2],
      padding: 'valid',
      strides: [2, 2],
      data_format: 'channels_last',
    },
    registered_name: null,
  });
  const json = {
    module: 'keras',
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      trainable: true,
      dtype,
      layers: [
        {
          module: 'keras.layers',
          class_name: 'InputLayer',
          config: { batch_shape: [null, 28, 28, 1], dtype: 'float32', sparse: false, name: 'input_layer' },
          registered_name: null,
        },
        conv('conv2d', 16, 'HeNormal'),
        pool('max_pooling2d'),
        conv('conv2d_1', 32, 'GlorotUniform'),
        pool('max_pooling2d_1'),
        {
          module: 'keras.layers',
          class_name: 'Flatten',
          config: { name: 'flatten', trainable: true, dtype, data_format: 'channels_last' },
          registered_name: null,
        },
        {
          module: 'keras.layers',
          class_name: 'Dense',
          config: { name: 'dense', trainable: true, dtype, units: 10, activation: 'softmax', use_bias: true },
          registered_name: null,
        },
      ],
      build_input_shape: [null, 28, 28, 1],
    },
    registered_name: null,
  };
  const model = modelFromKerasJson(JSON.stringify(json));
  assert.deepEqual(
    model.weights.map((w) => [w.name, w.shape]),
    [
      ['conv2d/kernel', [3, 3, 1, 16]],
      ['conv2d/bias', [16]],
      ['conv2d_1/kernel', [3, 3, 16, 32]],
      ['conv2d_1/bias', [32]],
      ['dense/kernel', [800, 10]],
      ['dense/bias', [10]],
    ],
  );
  assert.equal(model.countParams(), 12_810); // as Keras's summary
});
