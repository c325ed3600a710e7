/**
 * Model files by extension: `.keras` (Keras 3 archive), `.safetensors`, legacy Keras 2 `.h5`; `keel export` and
 * `keel train --out x.keras`. Round trips are bit-exact; the .keras layout is Keras 3's (read back with HDF5);
 * an Adam run saved mid-training and resumed from the archive equals the uninterrupted run bit for bit; the
 * legacy .h5 written by test/reference/make_keras2_h5.py predicts what that script computed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { unzipSync, strFromU8 } from 'fflate';
import { Sequential, layers, loadModel, setSeed, tensor, type Model, type Tensor } from '../../src/index.js';
import { readH5, datasetDtype, getDataset, getGroup } from '../../src/io/model-files/h5.js';
import { stringifyKerasJson } from '../../src/io/model-files/keras-json.js';
import { runExport } from '../../src/cli/commands/export.js';
import { imageInput, imageModel, sequenceInput, sequenceModel } from './every-layer-models.js';

const dir = mkdtempSync(join(tmpdir(), 'keel-model-files-'));

function sameBits(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

function assertSameModel(a: Model, b: Model, x: Tensor, what: string): void {
  assert.deepEqual(
    b.weights.map((w) => w.name),
    a.weights.map((w) => w.name),
    `${what}: weight names`,
  );
  a.weights.forEach((w, i) => assert.ok(sameBits(w.data, b.weights[i]!.data), `${what}: weight '${w.name}' bits`));
  assert.ok(sameBits(a.predict(x).data, b.predict(x).data), `${what}: predictions bit for bit`);
}

for (const [name, make, input] of [
  ['image model (conv, pooling, norms, dropouts, activations, merges)', imageModel, imageInput],
  ['sequence model (Embedding, Conv1D, SimpleRNN, GRU, LSTM, Reshape)', sequenceModel, sequenceInput],
] as const) {
  for (const ext of ['keras', 'safetensors']) {
    test(`${name} round-trips through .${ext} bit-exactly`, async () => {
      const model = make();
      const path = join(dir, `${model.name}.${ext}`);
      await model.save(path);
      const loaded = await loadModel(path);
      assert.equal(loaded.name, model.name);
      assertSameModel(model, loaded, input(), `.${ext}`);
      // Saved again, the file is the same (nothing lost or reordered on the way).
      const again = join(dir, `${model.name}-again.${ext}`);
      await loaded.save(again);
      if (ext === 'safetensors') assert.deepEqual(readFileSync(again), readFileSync(path));
    });
  }
}

function dataset(): { x: Tensor; y: Tensor } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < 64; i++) {
    const a = Math.sin(i * 1.3),
      b = Math.cos(i * 0.7);
    xs.push(a, b, a * b);
    ys.push(a + b > 0 ? 1 : 0);
  }
  return { x: tensor(xs, [64, 3]), y: tensor(ys, [64]) };
}

function compiled(): Sequential {
  setSeed(4);
  const model = new Sequential([
    new layers.Dense(8, { inputShape: [3], activation: 'relu' }),
    new layers.BatchNormalization(),
    new layers.Dense(2, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

function steps(model: Model, x: Tensor, y: Tensor, from: number, to: number): void {
  for (let s = from; s < to; s++) {
    const rows = [...Array(16).keys()].map((r) => (s * 16 + r) % 64);
    const xb = tensor(
      rows.flatMap((r) => [...x.data.subarray(r * 3, r * 3 + 3)]),
      [16, 3],
    );
    model.trainOnBatch(
      xb,
      tensor(
        rows.map((r) => y.data[r]!),
        [16],
      ),
    );
  }
}

test('.keras keeps Adam: saved at step 5 and resumed for 5 more = 10 uninterrupted steps, bit for bit', async () => {
  const { x, y } = dataset();
  const straight = compiled();
  steps(straight, x, y, 0, 10);
  const first = compiled();
  steps(first, x, y, 0, 5);
  const path = join(dir, 'adam.keras');
  await first.save(path);
  const resumed = await loadModel(path);
  assert.ok(resumed.compiled !== null, 'the archive compiles the model (compile_config)');
  assert.equal(resumed.compiled.optimizer.className, 'Adam');
  assert.equal(resumed.compiled.optimizer.iterations, 5);
  assert.deepEqual(
    resumed.compiled.metrics.map((m) => m.name),
    ['accuracy'],
  );
  steps(resumed, x, y, 5, 10);
  assert.equal(resumed.compiled.optimizer.iterations, 10);
  straight.weights.forEach((w, i) =>
    assert.ok(sameBits(w.data, resumed.weights[i]!.data), `weight '${w.name}' equals the uninterrupted run's`),
  );
});

test(".keras is Keras 3's layout: config, metadata, model.weights.h5 with layers/<class>/vars/<i>", async () => {
  const model = compiled();
  const { x, y } = dataset();
  steps(model, x, y, 0, 3);
  const path = join(dir, 'layout.keras');
  await model.save(path);
  const files = unzipSync(new Uint8Array(readFileSync(path)));
  assert.deepEqual(Object.keys(files).sort(), ['config.json', 'metadata.json', 'model.weights.h5']);
  const config = JSON.parse(strFromU8(files['config.json']!));
  assert.equal(config.class_name, 'Sequential');
  assert.equal(config.config.layers[0].class_name, 'InputLayer');
  assert.deepEqual(config.build_config.input_shape, [null, 3]);
  assert.equal(config.compile_config.optimizer.class_name, 'Adam');
  assert.equal(config.compile_config.loss, 'sparse_categorical_crossentropy');
  const layout = await readH5(files['model.weights.h5']!, 'weights', (file) => {
    const shape = (p: string) => {
      const ds = getDataset(file, p);
      return ds === null ? null : [datasetDtype(ds), ds.shape];
    };
    return {
      dense: [shape('layers/dense/vars/0'), shape('layers/dense/vars/1')],
      bn: [0, 1, 2, 3].map((i) => shape(`layers/batch_normalization/vars/${i}`)),
      dense1: shape('layers/dense_1/vars/0'),
      iteration: shape('optimizer/vars/0'),
      iterationValue: Number(getDataset(file, 'optimizer/vars/0')!.value as bigint),
      learningRate: shape('optimizer/vars/1'),
      momentum0: shape('optimizer/vars/2'),
      velocity0: shape('optimizer/vars/3'),
      optimizerVars: getGroup(file, 'optimizer/vars')!.keys().length,
      modelVars: getGroup(file, 'vars') !== null,
    };
  });
  assert.deepEqual(layout.dense, [
    ['<f4', [3, 8]],
    ['<f4', [8]],
  ]);
  assert.deepEqual(layout.bn, Array(4).fill(['<f4', [8]]));
  assert.deepEqual(layout.dense1, ['<f4', [8, 2]]);
  assert.deepEqual(layout.iteration, ['<i8', []]);
  assert.equal(layout.iterationValue, 3);
  assert.deepEqual(layout.learningRate, ['<f4', []]);
  assert.deepEqual(layout.momentum0, ['<f4', [3, 8]]);
  assert.deepEqual(layout.velocity0, ['<f4', [3, 8]]);
  // iteration + learning_rate + (momentum, velocity) for each of the 6 trainable variables.
  assert.equal(layout.optimizerVars, 2 + 2 * 6);
  assert.ok(layout.modelVars);
});

test('Keras config JSON keeps floats floats (Keras 3 SGD rejects "momentum": 0)', () => {
  const text = stringifyKerasJson({
    class_name: 'SGD',
    config: { learning_rate: 1, momentum: 0, nesterov: false, kernel_size: [3, 3], units: 4, seed: null },
  });
  assert.match(text, /"learning_rate": 1\.0/);
  assert.match(text, /"momentum": 0\.0/);
  assert.match(text, /"kernel_size": \[3, 3\]/);
  assert.match(text, /"units": 4[,}]/);
  setSeed(2);
  const model = new Sequential([new layers.Dense(2, { inputShape: [2] })]);
  model.compile({ optimizer: { class_name: 'SGD', config: { momentum: 0 } }, loss: 'mse' });
  return model.save(join(dir, 'sgd.keras')).then(() => {
    const files = unzipSync(new Uint8Array(readFileSync(join(dir, 'sgd.keras'))));
    assert.match(strFromU8(files['config.json']!), /"momentum": 0\.0/);
  });
});

test('a legacy Keras 2 .h5 (Dense + BN + Dropout) predicts what its generator computed', async () => {
  const fixture = JSON.parse(readFileSync('test/fixtures/keras2-h5.json', 'utf8')) as { x: number[][]; y: number[][] };
  const model = await loadModel(`test/fixtures/${'keras2-dense-bn-dropout.h5'}`);
  assert.deepEqual(
    model.layers.map((l) => l.className),
    ['Dense', 'BatchNormalization', 'Dropout', 'Dense'],
  );
  const p = model.predict(tensor(fixture.x.flat(), [fixture.x.length, 4])).data;
  const expected = fixture.y.flat();
  const diff = Math.max(...expected.map((v, i) => Math.abs(v - p[i]!)));
  assert.ok(diff <= 1e-6, `max abs diff ${diff}`);
  // And it converts: .h5 → .keras → the same predictions.
  await runExport('test/fixtures/keras2-dense-bn-dropout.h5', join(dir, 'from-h5.keras'));
  const converted = await loadModel(join(dir, 'from-h5.keras'));
  assertSameModel(model, converted, tensor(fixture.x.flat(), [fixture.x.length, 4]), 'h5 → keras');
});

test('BatchNormalization: a tf.keras 2 positive axis must be the last one', () => {
  assert.throws(
    () => new Sequential([new layers.BatchNormalization({ inputShape: [3, 4], axis: [1] as unknown as number })]),
    /only the last axis is supported; received axis 1 for inputs of rank 3/,
  );
});

test('keel export: folder → .keras → .safetensors → folder keeps weights and predictions', async () => {
  // Dense + BN, compiled and trained a little (the every-layer models hold layers TF.js cannot read).
  const model = compiled();
  const { x, y } = dataset();
  steps(model, x, y, 0, 3);
  const folder = join(dir, 'export-src');
  await model.save(folder);
  const chain = [join(dir, 'e.keras'), join(dir, 'e.safetensors'), join(dir, 'export-back')];
  let from = folder;
  for (const to of chain) {
    const { bytes, params } = await runExport(from, to);
    assert.ok(bytes > 0);
    assert.equal(params, model.countParams());
    from = to;
  }
  assertSameModel(model, await loadModel(from), x, 'folder → keras → safetensors → folder');
  await assert.rejects(runExport(join(dir, 'e.keras'), join(dir, 'x.h5')), /reads but does not write/);
});

test('keel train --out run/model.keras writes the trained model as a Keras 3 archive beside history.json', () => {
  const work = mkdtempSync(join(tmpdir(), 'keel-train-keras-'));
  const config = {
    seed: 1,
    data: { dataset: 'spirals', n: 200, noise: 0.2, standardize: true },
    model: [
      { type: 'Dense', units: 8, activation: 'relu' },
      { type: 'Dense', units: 3, activation: 'softmax' },
    ],
    compile: { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
    fit: { epochs: 1, batch_size: 32 },
  };
  writeFileSync(join(work, 'config.json'), JSON.stringify(config));
  const out = join(work, 'run', 'model.keras');
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'train', join(work, 'config.json'), '--out', out, '--quiet'],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.ok(statSync(out).isFile());
  assert.ok(statSync(join(work, 'run', 'history.json')).isFile());
  const files = unzipSync(new Uint8Array(readFileSync(out)));
  assert.ok('model.weights.h5' in files);
  assert.equal(JSON.parse(strFromU8(files['config.json']!)).compile_config.optimizer.class_name, 'Adam');
});
