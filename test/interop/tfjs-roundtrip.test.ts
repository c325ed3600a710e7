/**
 * Round trips with TensorFlow.js 4.22 (tfjs-core + tfjs-layers + cpu backend):
 * a Keel model using every layer type, every initializer family and every
 * activation TF.js knows, saved by Keel, loads in TF.js and predicts the same
 * (≤ 1e-5); a model built and saved by TF.js loads in Keel and predicts the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Sequential,
  layers,
  initializers,
  activations,
  setSeed,
  Random,
  Tensor,
  loadModel,
  saveModel,
} from '../../src/index.js';
import { tf, tfl, useCpuBackend, dirReader, dirWriter } from '../helpers/tfjs-io.js';

function randomInput(rows: number, shape: number[], seed: number, scale = 1.5): Tensor {
  const rng = new Random(seed);
  const n = rows * shape.reduce((p, d) => p * d, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = scale * rng.normal();
  return new Tensor(data, [rows, ...shape]);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Every Keel layer type; every initializer family; every activation TF.js knows (+ leaky_relu, mapped to a layer). */
function kitchenSink(): Sequential {
  const vs = new initializers.VarianceScaling({ scale: 1.3, mode: 'fan_out', distribution: 'untruncated_normal' });
  return new Sequential([
    new layers.Flatten({ inputShape: [2, 5] }),
    new layers.Dense(12, { activation: 'relu', kernelInitializer: 'he_normal', biasInitializer: 'random_normal' }),
    new layers.BatchNormalization({ gammaInitializer: 'random_uniform', betaInitializer: 'truncated_normal' }),
    new layers.Dense(12, {
      activation: 'elu',
      kernelInitializer: 'he_uniform',
      biasInitializer: new initializers.Constant({ value: 0.05 }),
    }),
    new layers.Activation('selu'),
    new layers.Dense(12, { activation: 'sigmoid', kernelInitializer: 'glorot_normal' }),
    new layers.Dense(12, { activation: 'tanh', kernelInitializer: 'glorot_uniform', biasInitializer: 'ones' }),
    new layers.Dense(12, { activation: 'softplus', kernelInitializer: 'lecun_normal' }),
    new layers.Dense(12, { activation: 'softsign', kernelInitializer: 'lecun_uniform' }),
    new layers.Dense(12, { activation: 'swish', kernelInitializer: 'orthogonal' }),
    new layers.Dense(12, { activation: 'gelu', kernelInitializer: vs }),
    new layers.Dense(12, { activation: 'gelu', kernelInitializer: 'identity' }),
    new layers.Dense(12, {
      activation: 'linear',
      kernelInitializer: new initializers.VarianceScaling({
        scale: 0.5,
        mode: 'fan_avg',
        distribution: 'truncated_normal',
      }),
    }),
    new layers.LeakyReLU({ negativeSlope: 0.1 }),
    new layers.PReLU({ alphaInitializer: new initializers.Constant({ value: 0.25 }) }),
    new layers.ELU(),
    new layers.Dropout(0.2),
    new layers.AlphaDropout(0.1),
    new layers.Dense(10, { activation: 'leaky_relu', kernelInitializer: 'random_uniform' }),
    new layers.Activation('leaky_relu'),
    new layers.Activation('relu'),
    new layers.Dense(3, { activation: 'softmax', kernelInitializer: 'truncated_normal', biasInitializer: 'zeros' }),
  ]);
}

test(
  'a Keel model saved by Keel loads in TF.js and predicts the same (every layer, initializer family, TF.js ' +
    'activation)',
  async () => {
    await useCpuBackend();
    setSeed(7);
    const model = kitchenSink();
    // A few training steps so BN moving statistics, PReLU slopes and weights are far from their initial values.
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const x = randomInput(64, [2, 5], 1);
    const y = new Tensor(
      Float32Array.from({ length: 64 }, (_v, i) => i % 3),
      [64],
    );
    await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'keel-tfjs-'));
    try {
      await saveModel(model, dir);
      const doc = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      assert.equal(doc.format, 'layers-model');
      const entries = doc.modelTopology.config.layers as { class_name: string; config: Record<string, unknown> }[];
      assert.equal(entries[0]!.class_name, 'InputLayer');
      assert.deepEqual(entries[0]!.config.batch_input_shape, [null, 2, 5]);
      assert.ok(
        entries.every((e) => !('module' in e)),
        'tf.keras-2 dialect: no module keys',
      );
      const kernelInits = entries
        .filter((e) => e.class_name === 'Dense')
        .map((e) => (e.config.kernel_initializer as { class_name: string }).class_name);
      assert.ok(
        !kernelInits.some((c) => /Glorot|He|Lecun/.test(c)),
        `presets are written as VarianceScaling: ${kernelInits.join(', ')}`,
      );

      const tfModel = await tfl.loadLayersModel(dirReader(dir));
      const xt = randomInput(50, [2, 5], 2);
      const keel = model.predict(xt);
      const theirs = tfModel.predict(tf.tensor(xt.data, xt.shape)) as tf.Tensor;
      const diff = maxAbsDiff(keel.data, theirs.dataSync());
      console.log(`  Keel → TF.js: max |Δ| over ${keel.size} outputs = ${diff.toExponential(2)}`);
      assert.ok(diff <= 1e-5, `max abs diff ${diff}`);
      // Keel reads its own file back exactly.
      const again = await loadModel(dir);
      assert.equal(maxAbsDiff(again.predict(xt).data, keel.data), 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('a model built and saved by TF.js loads in Keel and predicts the same', async () => {
  await useCpuBackend();
  const m = tfl.sequential();
  m.add(tfl.layers.flatten({ inputShape: [3, 4] }));
  m.add(tfl.layers.dense({ units: 10, activation: 'relu', kernelInitializer: 'heNormal' }));
  m.add(tfl.layers.batchNormalization({}));
  m.add(tfl.layers.dense({ units: 10, activation: 'elu', kernelInitializer: 'leCunNormal', useBias: false }));
  m.add(tfl.layers.activation({ activation: 'selu' }));
  m.add(tfl.layers.dense({ units: 10, activation: 'swish', kernelInitializer: 'glorotNormal' }));
  // (TF.js 4.22's Orthogonal initializer throws when sampled, and it cannot reload its own 'gelu_new'.)
  m.add(tfl.layers.dense({ units: 10, activation: 'gelu', kernelInitializer: 'varianceScaling' }));
  m.add(tfl.layers.dense({ units: 10, activation: 'softsign', kernelInitializer: 'randomUniform' }));
  m.add(tfl.layers.dense({ units: 10, activation: 'softplus', kernelInitializer: 'truncatedNormal' }));
  m.add(tfl.layers.leakyReLU({ alpha: 0.15 }));
  m.add(tfl.layers.prelu({}));
  m.add(tfl.layers.elu({}));
  m.add(tfl.layers.dropout({ rate: 0.3 }));
  m.add(tfl.layers.alphaDropout({ rate: 0.1 }));
  m.add(tfl.layers.dense({ units: 10, activation: 'tanh', kernelInitializer: 'leCunUniform' }));
  m.add(tfl.layers.dense({ units: 10, activation: 'sigmoid', kernelInitializer: 'heUniform' }));
  m.add(tfl.layers.dense({ units: 4, activation: 'softmax' }));
  // Non-trivial values everywhere, including BN moving statistics and PReLU slopes.
  const rng = new Random(11);
  // getWeights() returns plain tensors; the names are on the layer variables, in the same order.
  const names = m.weights.map((v) => v.name);
  m.setWeights(
    m.getWeights().map((w, i) => {
      const isVariance = names[i]?.includes('moving_variance') === true;
      const values = Float32Array.from({ length: w.size }, () =>
        isVariance ? 0.5 + rng.uniform() : 0.4 * rng.normal(),
      );
      return tf.tensor(values, w.shape);
    }),
  );
  const dir = mkdtempSync(join(tmpdir(), 'tfjs-keel-'));
  try {
    await m.save(dirWriter(dir));
    const model = await loadModel(dir);
    assert.equal(model.layers.length, 17);
    const xt = randomInput(40, [3, 4], 3);
    const theirs = (m.predict(tf.tensor(xt.data, xt.shape)) as tf.Tensor).dataSync();
    const diff = maxAbsDiff(model.predict(xt).data, theirs);
    console.log(`  TF.js → Keel: max |Δ| over ${theirs.length} outputs = ${diff.toExponential(2)}`);
    assert.ok(diff <= 1e-5, `max abs diff ${diff}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("TF.js's 'hard_sigmoid' (0.2x + 1/2, its LSTM default) is hard_sigmoid_keras2, predicts as TF.js", async () => {
  await useCpuBackend();
  const m = tfl.sequential();
  // Inputs scaled so that the pre-activations cross both kinks (±2.5) of clip(0.2x + 1/2, 0, 1).
  m.add(tfl.layers.dense({ units: 6, inputShape: [5, 3], activation: 'hardSigmoid' }));
  // recurrentActivation defaults to hardSigmoid (TF.js 4.22's Orthogonal throws when sampled: glorotUniform instead)
  m.add(tfl.layers.lstm({ units: 4, returnSequences: true, recurrentInitializer: 'glorotUniform' }));
  m.add(
    tfl.layers.gru({
      units: 3,
      recurrentActivation: 'hardSigmoid',
      recurrentInitializer: 'glorotUniform',
    }),
  );
  const rng = new Random(5);
  m.setWeights(
    m.getWeights().map((w) =>
      tf.tensor(
        Float32Array.from({ length: w.size }, () => 1.5 * rng.normal()),
        w.shape,
      ),
    ),
  );
  const dir = mkdtempSync(join(tmpdir(), 'tfjs-keel-'));
  try {
    await m.save(dirWriter(dir));
    const model = await loadModel(dir);
    const json = JSON.parse(model.toJSON()) as { config: { layers: { config: Record<string, unknown> }[] } };
    const cfg = json.config.layers.slice(1).map((l) => l.config);
    assert.equal(cfg[0]!.activation, 'hard_sigmoid_keras2');
    assert.equal(cfg[1]!.recurrent_activation, 'hard_sigmoid_keras2');
    assert.equal(cfg[2]!.recurrent_activation, 'hard_sigmoid_keras2');
    const xt = randomInput(16, [5, 3], 9, 3);
    const theirs = (m.predict(tf.tensor(xt.data, xt.shape)) as tf.Tensor).dataSync();
    const diff = maxAbsDiff(model.predict(xt).data, theirs);
    console.log(`  TF.js hard_sigmoid → Keel: max |Δ| over ${theirs.length} outputs = ${diff.toExponential(2)}`);
    assert.ok(diff <= 1e-5, `max abs diff ${diff}`);
    // Written back under TF.js's name, it loads in TF.js as the same function.
    await saveModel(model, join(dir, 'back'));
    const again = await tfl.loadLayersModel(dirReader(join(dir, 'back')));
    const back = (again.predict(tf.tensor(xt.data, xt.shape)) as tf.Tensor).dataSync();
    assert.ok(maxAbsDiff(back, theirs) <= 1e-6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Keel's 'hard_sigmoid' (Keras 3's x/6 + 1/2) and other functions TF.js lacks are refused on save", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tfjs-keel-'));
  try {
    const keel = new Sequential([new layers.Dense(2, { inputShape: [3], activation: 'hard_sigmoid' })]);
    await assert.rejects(saveModel(keel, join(dir, 'keel')), /hard_sigmoid.*different function/);
    const elu = new Sequential([new layers.ELU({ alpha: 0.5, inputShape: [3] })]);
    await assert.rejects(saveModel(elu, join(dir, 'elu')), /alpha = 0\.5.*only supports alpha = 1/);
    const exp = new Sequential([new layers.Dense(2, { inputShape: [3], activation: 'exponential' })]);
    await assert.rejects(saveModel(exp, join(dir, 'exp')), /'exponential' is not available in TensorFlow\.js/);
    const approx = new Sequential([
      new layers.Dense(2, { inputShape: [3], activation: activations.get('gelu_approximate') }),
    ]);
    await assert.rejects(saveModel(approx, join(dir, 'approx')), /gelu_approximate.*geluNew/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Keel CNN (conv and pooling layers) loads in TF.js and a TF.js CNN in Keel, predicting the same', async () => {
  await useCpuBackend();
  setSeed(9);
  const model = new Sequential([
    new layers.Reshape([6, 6, 1], { inputShape: [36] }),
    new layers.Conv2D(3, { kernelSize: 3, padding: 'same', strides: 2, activation: 'relu', biasInitializer: 'ones' }),
    new layers.BatchNormalization({ betaInitializer: 'random_normal', movingMeanInitializer: 'random_normal' }),
    new layers.Conv2D(4, { kernelSize: [2, 3], padding: 'same', dilationRate: 2, activation: 'tanh' }),
    new layers.AveragePooling2D({ poolSize: 2, strides: 1, padding: 'same' }),
    new layers.MaxPooling2D({ poolSize: 2, padding: 'same' }),
    new layers.GlobalAveragePooling2D(),
    new layers.Reshape([4, 1]),
    new layers.Conv1D(2, { kernelSize: 2, padding: 'same', activation: 'elu' }),
    new layers.Flatten(),
    new layers.Dense(3, { activation: 'softmax' }),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'keel-tfjs-cnn-'));
  try {
    await saveModel(model, dir);
    const tfModel = await tfl.loadLayersModel(dirReader(dir));
    const xt = randomInput(5, [36], 3);
    const diff = maxAbsDiff(
      model.predict(xt).data,
      (tfModel.predict(tf.tensor(xt.data, xt.shape)) as tf.Tensor).dataSync(),
    );
    assert.ok(diff <= 1e-5, `Keel → TF.js max abs diff ${diff}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [7, 5, 2] }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2, padding: 'same' }));
  m.add(tfl.layers.conv2d({ filters: 3, kernelSize: 2, strides: 2, biasInitializer: 'randomNormal' }));
  m.add(tfl.layers.globalMaxPooling2d({}));
  m.add(tfl.layers.dense({ units: 2 }));
  const back = mkdtempSync(join(tmpdir(), 'tfjs-keel-cnn-'));
  try {
    await m.save(dirWriter(back));
    const keel = await loadModel(back);
    const xt = randomInput(4, [7, 5, 2], 4);
    const diff = maxAbsDiff(keel.predict(xt).data, (m.predict(tf.tensor(xt.data, xt.shape)) as tf.Tensor).dataSync());
    assert.ok(diff <= 1e-5, `TF.js → Keel max abs diff ${diff}`);
  } finally {
    rmSync(back, { recursive: true, force: true });
  }
});
