/** layerFromConfig: both Keras dialects, unsupported keys, unknown names. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layerFromConfig } from './index.js';
import { Dense } from './dense.js';

test('Keras 3 dialect (DTypePolicy dtype, nested initializer objects) and tf.keras 2 batch_input_shape', () => {
  const d = layerFromConfig({
    class_name: 'Dense',
    config: {
      name: 'd',
      units: 3,
      activation: 'relu',
      use_bias: true,
      dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' } },
      kernel_initializer: {
        module: 'keras.initializers',
        class_name: 'HeNormal',
        config: { seed: null },
        registered_name: null,
      },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      quantization_config: null,
    },
  }) as Dense;
  assert.equal(d.units, 3);
  assert.equal(d.kernelInitializer.className, 'HeNormal');
  const first = layerFromConfig({ class_name: 'Dense', config: { units: 2, batch_input_shape: [null, 7] } });
  assert.deepEqual(first.declaredInputShape, [7]);
});

test('unsupported non-null keys, unknown keys and unknown layer types are errors', () => {
  assert.throws(
    () => layerFromConfig({ class_name: 'Dense', config: { units: 2, lora_rank: 4 } }),
    /'lora_rank' is not supported/,
  );
  assert.throws(
    () => layerFromConfig({ class_name: 'Dense', config: { units: 2, unitz: 3 } }),
    /unknown config key 'unitz'\. Did you mean 'units'\?/,
  );
  assert.throws(
    () => layerFromConfig({ class_name: 'Dence', config: {} }),
    /unknown layer type 'Dence'\. Did you mean 'Dense'\?/,
  );
  assert.throws(() => layerFromConfig({ config: {} } as never), /expected \{class_name, config\}/);
});
