import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, layers } from '../index.js';
import { SGD } from '../nn/optimizers/sgd.js';
import { Tensor } from '../tensor/tensor.js';
import { setSeed } from '../tensor/rng.js';
import { GradientMonitor } from './probe.js';
import { channelStats } from './channel-stats.js';

test('channelStats: mean and std per channel over every position (closed form), dead channels', () => {
  // Two positions × three channels: channel 0 = [1, 3], channel 1 = [0, 0], channel 2 = [-2, 2].
  const s = channelStats(Float32Array.from([1, 0, -2, 3, 0, 2]), 3);
  assert.deepEqual(s.mean, [2, 0, 0]);
  assert.deepEqual(s.std, [1, 0, 2]);
  assert.deepEqual(s.dead, [1]);
});

test('the probe records per-channel statistics of conv feature maps (and not of Dense layers)', async () => {
  setSeed(3);
  const model = new Sequential([
    new layers.Conv2D(4, {
      kernelSize: 3,
      activation: 'relu',
      // Channel 1's bias is so negative that it can never fire on inputs in [0, 1): a dead channel.
      biasInitializer: { class_name: 'Constant', config: { value: 0 } },
      inputShape: [6, 6, 1],
    }),
    new layers.MaxPooling2D({ poolSize: 2 }),
    new layers.Flatten(),
    new layers.Dense(2, { activation: 'softmax' }),
  ]);
  const conv = model.layers[0] as layers.Conv2D;
  const b = new Float32Array(4);
  b[1] = -100;
  conv.bias!.assign(b);
  model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
  const n = 16,
    x = new Float32Array(n * 36).map((_v, i) => (Math.sin(i * 0.37) + 1) / 2.01),
    y = new Float32Array(n).map((_v, i) => i % 2);
  const monitor = new GradientMonitor({ every: 1 });
  await model.fit(new Tensor(x, [n, 6, 6, 1]), new Tensor(y, [n]), {
    epochs: 1,
    batchSize: 16,
    verbose: 0,
    shuffle: false,
    callbacks: [monitor],
  });
  const [c, pool, flat, dense] = monitor.history.steps[0]!.layers;
  assert.equal(c!.channels!.mean.length, 4);
  assert.deepEqual(c!.channels!.dead, [1]);
  assert.deepEqual(pool!.channels!.dead, [1]);
  assert.equal(flat!.channels, undefined);
  assert.equal(dense!.channels, undefined);
  // The per-channel means average to the layer's mean (equal counts per channel).
  const avg = c!.channels!.mean.reduce((s, v) => s + v, 0) / 4;
  assert.ok(Math.abs(avg - c!.mean) < 1e-5);
  assert.ok(c!.channels!.std.every((s, i) => (i === 1 ? s === 0 : s > 0)));
});
