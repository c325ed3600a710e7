/** BatchNormalization: the keras-semantics §5 worked example, moving statistics, modes, config. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchNormalization } from './batch-normalization.js';
import { layerFromConfig } from './index.js';
import { tensor } from '../../tensor/tensor.js';
import { assertAllClose } from '../../../test/helpers/allclose.js';

const X = tensor([
  [1, -1],
  [3, 0],
  [2, 4],
]);

test('worked example: training output and moving statistics after one step', () => {
  const bn = new BatchNormalization();
  const y = bn.apply(X, { training: true });
  // Columns [−1.22382734, 1.22382734, 0] and [−0.92572092, −0.46286046, 1.38858138], row-major.
  assertAllClose(
    y.data,
    [-1.22382734, -0.92572092, 1.22382734, -0.46286046, 0, 1.38858138],
    { rtol: 1e-6, atol: 1e-7 },
    'training output',
  );
  assertAllClose(bn.movingMean!.data, [0.02, 0.01], { rtol: 1e-6 }, 'moving_mean');
  assertAllClose(
    bn.movingVariance!.data,
    [0.99666667, 1.03666667],
    { rtol: 1e-6 },
    'moving_variance (biased batch variance)',
  );
});

test('inference uses the moving statistics and changes nothing', () => {
  const bn = new BatchNormalization();
  const y = bn.apply(X, { training: false });
  const inv = 1 / Math.sqrt(1 + 1e-3);
  assertAllClose(
    y.data,
    [1, -1, 3, 0, 2, 4].map((v) => v * inv),
    { rtol: 1e-6 },
    'inference output',
  );
  assert.deepEqual(Array.from(bn.movingMean!.data), [0, 0]);
  assert.deepEqual(Array.from(bn.movingVariance!.data), [1, 1]);
});

test('trainable = false means inference mode even when training is true', () => {
  const bn = new BatchNormalization({ trainable: false });
  const y = bn.apply(X, { training: true });
  const inv = 1 / Math.sqrt(1 + 1e-3);
  assertAllClose(
    y.data,
    [1, -1, 3, 0, 2, 4].map((v) => v * inv),
    { rtol: 1e-6 },
    'frozen BN output',
  );
  assert.deepEqual(Array.from(bn.movingMean!.data), [0, 0]);
  assert.equal(bn.trainableWeights.length, 0);
  const live = new BatchNormalization();
  live.build([2]);
  live.setTrainable(false);
  live.apply(X, { training: true });
  assert.deepEqual(Array.from(live.movingMean!.data), [0, 0], 'setTrainable(false) also freezes the statistics');
});

test('weights: gamma, beta, moving_mean, moving_variance; only gamma and beta trainable', () => {
  const bn = new BatchNormalization({ name: 'bn' });
  bn.build([3]);
  assert.deepEqual(
    bn.weights.map((w) => w.name),
    ['bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance'],
  );
  assert.deepEqual(
    bn.trainableWeights.map((w) => w.name),
    ['bn/gamma', 'bn/beta'],
  );
  const noScale = new BatchNormalization({ scale: false, center: false });
  noScale.build([3]);
  assert.equal(noScale.weights.length, 2);
});

test('invalid arguments are errors', () => {
  assert.throws(() => new BatchNormalization({ axis: 0 }), /only the last axis/);
  assert.throws(() => new BatchNormalization({ momentum: 1.5 }), /Invalid momentum/);
  assert.throws(() => new BatchNormalization({ epsilon: 0 }), /Invalid epsilon/);
  assert.throws(() => new BatchNormalization({ gammaInitializer: 'onse' as never }), /Did you mean/);
});

test('getConfig round trip gives identical outputs in both modes', () => {
  const bn = new BatchNormalization({ momentum: 0.9, epsilon: 1e-2, name: 'bn_rt' });
  const copy = layerFromConfig({ class_name: 'BatchNormalization', config: bn.getConfig() }) as BatchNormalization;
  assert.deepEqual(copy.getConfig(), bn.getConfig());
  assert.deepEqual(copy.apply(X, { training: true }).data, bn.apply(X, { training: true }).data);
  assert.deepEqual(copy.movingVariance!.data, bn.movingVariance!.data);
  assert.deepEqual(copy.apply(X).data, bn.apply(X).data);
});
