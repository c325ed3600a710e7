/**
 * loadModel / modelFromKerasJson on malformed, truncated, mis-sized, absurd or
 * mistyped input: a clear Error (naming the place) before any large allocation;
 * and saveModel never leaves a half-written directory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential, layers, setSeed, loadModel, saveModel, modelFromKerasJson, Tensor } from '../../src/index.js';

function small(): Sequential {
  return new Sequential([
    new layers.Dense(4, { inputShape: [3], activation: 'relu', name: 'd1' }),
    new layers.BatchNormalization({ name: 'bn' }),
    new layers.Dense(2, { activation: 'softmax', name: 'd2' }),
  ]);
}

/** A saved small model in a fresh directory; `edit` may rewrite model.json. */
async function savedDir(edit?: (doc: any) => void): Promise<string> {
  setSeed(1);
  const dir = mkdtempSync(join(tmpdir(), 'keel-hostile-'));
  await saveModel(small(), dir);
  if (edit) {
    const doc = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    edit(doc);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(doc));
  }
  return dir;
}

const plainError = (pattern: RegExp) => (e: unknown) =>
  e instanceof Error && e.constructor === Error && pattern.test(e.message);

const cases: [string, (doc: any) => void, RegExp][] = [
  [
    'absurd units (10^12)',
    (d) => {
      d.modelTopology.config.layers[1].config.units = 1e12;
    },
    /units.*positive integer up to 100000000.*1000000000000/,
  ],
  [
    'units within range but 10^8 × 10^8 weights',
    (d) => {
      d.modelTopology.config.layers[0].config.batch_input_shape = [null, 1e8];
      d.modelTopology.config.layers[1].config.units = 1e8;
    },
    /past 268435456 parameters/,
  ],
  [
    'absurd manifest shape',
    (d) => {
      d.weightsManifest[0].weights[0].shape = [1e6, 1e6];
    },
    /more than 268435456 values/,
  ],
  [
    'manifest shape mismatch',
    (d) => {
      d.weightsManifest[0].weights[0].shape = [4, 3];
    },
    /'d1\/kernel' is stored with shape \[4, 3\] but the model needs \[3, 4\]/,
  ],
  [
    'negative dimension',
    (d) => {
      d.weightsManifest[0].weights[1].shape = [-4];
    },
    /non-negative integers/,
  ],
  [
    'string units',
    (d) => {
      d.modelTopology.config.layers[1].config.units = '4';
    },
    /units: expected a number; received "4"/,
  ],
  [
    'shard path escaping the directory',
    (d) => {
      d.weightsManifest[0].paths = ['../../etc/passwd'];
    },
    /must be a plain file name/,
  ],
  [
    'int8 quantized weights',
    (d) => {
      d.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 1, min: 0 };
    },
    /quantized weights are not supported/,
  ],
  [
    'unknown layer',
    (d) => {
      d.modelTopology.config.layers[1].class_name = 'Conv3D';
    },
    /unknown layer type 'Conv3D'/,
  ],
  [
    'functional model without input_layers',
    (d) => {
      d.modelTopology.class_name = 'Functional';
    },
    /config\.input_layers: expected a list of \[layer, node, tensor\]/,
  ],
  [
    'graph model',
    (d) => {
      d.format = 'graph-model';
    },
    /format "graph-model" is not supported/,
  ],
  [
    'mode is a number',
    (d) => {
      d.modelTopology.config.layers[1].config.kernel_initializer.config.mode = 3;
    },
    /kernel_initializer\.config\.mode: expected a string; received 3/,
  ],
  [
    'activation is an object',
    (d) => {
      d.modelTopology.config.layers[1].config.activation = { class_name: 'Custom' };
    },
    /activation: unknown layer type 'Custom'/,
  ],
  [
    'missing weight',
    (d) => {
      d.weightsManifest[0].weights.splice(1, 1);
    },
    /no 'd1\/bias'|hold .* bytes/,
  ],
  [
    'layers not a list',
    (d) => {
      d.modelTopology.config.layers = 'dense';
    },
    /expected \{name, layers: \[\.\.\.\]\}/,
  ],
  [
    'batch_input_shape with zero',
    (d) => {
      d.modelTopology.config.layers[0].config.batch_input_shape = [null, 0];
    },
    /positive integer dimensions/,
  ],
  [
    'mixed precision',
    (d) => {
      d.modelTopology.config.layers[1].config.dtype = 'float16';
    },
    /dtype 'float16' is not supported/,
  ],
];

for (const [what, edit, pattern] of cases) {
  test(`loadModel refuses: ${what}`, async () => {
    const dir = await savedDir(edit);
    try {
      await assert.rejects(loadModel(dir), plainError(pattern));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('loadModel refuses truncated, over-long, missing and non-finite weight files, and broken JSON', async () => {
  const dir = await savedDir();
  try {
    const shard = join(
      dir,
      readdirSync(dir).find((n) => n.endsWith('.bin'))!,
    );
    const good = readFileSync(shard);
    truncateSync(shard, good.length - 6);
    await assert.rejects(
      loadModel(dir),
      plainError(/describes 168 bytes of float32 weights but its shard files hold 162 bytes/),
    );
    writeFileSync(shard, Buffer.concat([good, Buffer.alloc(4)]));
    await assert.rejects(loadModel(dir), plainError(/hold 172 bytes/));
    const nan = Buffer.from(good);
    nan.writeFloatLE(NaN, 8);
    writeFileSync(shard, nan);
    await assert.rejects(loadModel(dir), plainError(/weight 'd1\/kernel' holds NaN at flat index 2/));
    rmSync(shard);
    await assert.rejects(loadModel(dir), plainError(/shard file 'group1-shard1of1\.bin' .* is missing/));
    writeFileSync(shard, good);
    const json = readFileSync(join(dir, 'model.json'), 'utf8');
    writeFileSync(join(dir, 'model.json'), json.slice(0, json.length / 2));
    await assert.rejects(loadModel(dir), plainError(/model\.json is not valid JSON/));
    await assert.rejects(loadModel(join(dir, 'nope')), plainError(/no model\.json in/));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('modelFromKerasJson: Keras 3 and tf.keras 2 documents; malformed functional models refused', () => {
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
          config: { batch_shape: [null, 5], dtype: 'float32', sparse: false, name: 'input_layer' },
          registered_name: null,
        },
        {
          module: 'keras.layers',
          class_name: 'Dense',
          registered_name: null,
          build_config: { input_shape: [null, 5] },
          config: {
            name: 'dense',
            trainable: true,
            dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
            units: 3,
            activation: 'hard_sigmoid',
            use_bias: true,
            kernel_initializer: {
              module: 'keras.initializers',
              class_name: 'HeNormal',
              config: { seed: null },
              registered_name: null,
            },
            bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
            kernel_regularizer: null,
            bias_regularizer: null,
            kernel_constraint: null,
            bias_constraint: null,
          },
        },
        {
          module: 'keras.layers',
          class_name: 'LeakyReLU',
          registered_name: null,
          config: { name: 'leaky_re_lu', trainable: true, dtype: 'float32', negative_slope: 0.2 },
        },
      ],
    },
    build_config: { input_shape: [null, 5] },
  };
  const m3 = modelFromKerasJson(JSON.stringify(keras3));
  assert.deepEqual(m3.getInputShape(), [5]);
  assert.deepEqual(
    m3.layers.map((l) => l.className),
    ['Dense', 'LeakyReLU'],
  );
  assert.equal((m3.layers[1] as layers.LeakyReLU).negativeSlope, 0.2);
  assert.deepEqual(m3.predict(new Tensor(new Float32Array(10), [2, 5])).shape, [2, 3]);

  const tfKeras2 = {
    class_name: 'Sequential',
    keras_version: '2.15.0',
    backend: 'tensorflow',
    config: {
      name: 'seq',
      layers: [
        {
          class_name: 'Dense',
          config: {
            name: 'd',
            trainable: true,
            dtype: 'float32',
            batch_input_shape: [null, 4],
            units: 2,
            activation: 'selu',
            use_bias: true,
            kernel_initializer: {
              class_name: 'VarianceScaling',
              config: { scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', seed: 3 },
            },
            bias_initializer: 'zeros',
            kernel_regularizer: null,
            bias_regularizer: null,
            activity_regularizer: null,
            kernel_constraint: null,
            bias_constraint: null,
          },
        },
        { class_name: 'AlphaDropout', config: { name: 'ad', rate: 0.1, trainable: true } },
      ],
    },
  };
  const m2 = modelFromKerasJson(tfKeras2);
  assert.deepEqual(m2.getInputShape(), [4]);
  assert.equal(m2.name, 'seq');
  // The same 'hard_sigmoid' string in the tf.keras 2 dialect means another function: read as that one.
  (tfKeras2.config.layers[0]!.config as Record<string, unknown>).activation = 'hard_sigmoid';
  const hard = modelFromKerasJson(tfKeras2).layers[0]!.getConfig();
  assert.equal(hard.activation, 'hard_sigmoid_keras2');
  assert.throws(
    () => modelFromKerasJson({ class_name: 'Functional', config: { layers: [] } }),
    plainError(/the functional model has no InputLayer/),
  );
  assert.throws(
    () => modelFromKerasJson('{"class_name": "Sequential", "config": {"layers": ['),
    plainError(/not valid JSON/),
  );
});

test(
  'saveModel is atomic: a refused save leaves the previous model intact; re-saving leaves no stray ' + 'files',
  async () => {
    const dir = await savedDir();
    try {
      const before = Object.fromEntries(readdirSync(dir).map((n) => [n, readFileSync(join(dir, n))]));
      const bad = new Sequential([new layers.Dense(2, { inputShape: [3], activation: 'exponential' })]);
      await assert.rejects(saveModel(bad, dir), /exponential/);
      assert.deepEqual(Object.fromEntries(readdirSync(dir).map((n) => [n, readFileSync(join(dir, n))])), before);
      setSeed(2);
      const other = small();
      for (let i = 0; i < 3; i++) {
        await saveModel(other, dir);
        const files = readdirSync(dir).sort();
        assert.equal(files.length, 2, files.join(', '));
        assert.ok(files.every((f) => !f.includes('.tmp-')));
        const loaded = await loadModel(dir);
        assert.deepEqual(
          loaded.getWeights().map((w) => Array.from(w.data)),
          other.getWeights().map((w) => Array.from(w.data)),
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
