import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential } from '../nn/model.js';
import { Dense } from '../nn/layers/dense.js';
import { SGD } from '../nn/optimizers/sgd.js';
import { Tensor } from '../tensor/tensor.js';
import { setSeed } from '../tensor/rng.js';
import { GradientMonitor } from './probe.js';
import { LiveFindings } from './live-findings.js';

function setup(bias: number, lr = 0.05) {
  setSeed(1);
  const model = new Sequential([
    new Dense(32, {
      activation: 'relu',
      kernelInitializer: 'he_normal',
      biasInitializer: { class_name: 'Constant', config: { value: bias } },
      inputShape: [8],
    }),
    new Dense(32, { activation: 'tanh' }),
    new Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new SGD({ learningRate: lr }), loss: 'sparse_categorical_crossentropy' });
  const n = 256,
    x = new Float32Array(n * 8),
    y = new Float32Array(n);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 1.7);
  for (let i = 0; i < n; i++) y[i] = i % 3;
  return { model, x: new Tensor(x, [n, 8]), y: new Tensor(y, [n]) };
}

test('the probe samples every k-th step and records per-layer statistics as plain JSON', async () => {
  const { model, x, y } = setup(0);
  const monitor = new GradientMonitor({ every: 4 });
  await model.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0, shuffle: false, callbacks: [monitor] });
  const h = monitor.history;
  assert.equal(h.losses.length, 16);
  assert.deepEqual(
    h.steps.map((r) => r.step),
    [0, 4, 8, 12],
  );
  const r = h.steps[0]!;
  assert.equal(r.layers.length, 3);
  const [relu, tanh] = r.layers;
  assert.equal(relu!.activation, 'relu');
  assert.equal(relu!.saturatedFraction, null);
  assert.ok(tanh!.saturatedFraction !== null && tanh!.saturatedFraction >= 0);
  for (const l of r.layers) {
    assert.ok(l.gradNorm! > 0 && l.kernelNorm! > 0 && l.std > 0);
    assert.ok(l.updateRatio! > 0 && l.updateRatio! < 1, `update ratio ${l.updateRatio}`);
  }
  assert.ok(r.globalGradNorm >= Math.max(...r.layers.map((l) => l.gradNorm!)));
  assert.deepEqual(JSON.parse(JSON.stringify(h)), h);
});

test('dead units: a large negative bias kills every ReLU unit', async () => {
  const { model, x, y } = setup(-100);
  const monitor = new GradientMonitor({ every: 1 });
  await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0, callbacks: [monitor] });
  assert.equal(monitor.history.steps[0]!.layers[0]!.deadFraction, 1);
  assert.equal(monitor.history.steps[0]!.layers[0]!.gradZeroFraction, 1);
});

test('a blown-up loss is reported once by LiveFindings, with a fix', async () => {
  const { model, x, y } = setup(0, 1e12);
  const lines: string[] = [];
  const live = new LiveFindings({ print: (l) => lines.push(l), every: 1 });
  await model.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0, callbacks: [live] });
  // A loss ≥ 1e5 counts as NaN/Inf (AUTOTRAINER), as does fit() stopping on a NaN weight.
  const nan = lines.filter((l) => l.startsWith('nan_or_inf at step'));
  assert.equal(nan.length, 1, lines.join('\n'));
  assert.match(nan[0]!, /; fix: /);
});
