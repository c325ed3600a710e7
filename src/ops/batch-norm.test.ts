/** Gradient checks of batch normalization, training (batch statistics) and inference (moving statistics). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchNormInference, batchNormTrain } from './batch-norm.js';
import { gradcheck, project, randomConstant, randomVariable } from '../../test/helpers/gradcheck.js';
import { Tensor } from '../tensor/tensor.js';

test('batchNormTrain: gradients w.r.t. x, gamma and beta = central differences', () => {
  const x = randomVariable([6, 4], 1, { scale: 1.5, offset: 0.3, name: 'x' });
  const gamma = randomVariable([4], 2, { scale: 0.5, offset: 1, name: 'gamma' });
  const beta = randomVariable([4], 3, { name: 'beta' });
  gradcheck(() => project(batchNormTrain(x, gamma, beta, 1e-3).y), [x, gamma, beta], {
    h: 1e-2,
    rtol: 2e-2,
    atol: 2e-3,
  });
});

test('batchNormTrain without gamma/beta (center=false, scale=false): gradient w.r.t. x', () => {
  const x = randomVariable([5, 3], 4, { scale: 2, name: 'x' });
  gradcheck(() => project(batchNormTrain(x, null, null, 1e-3).y), [x], { h: 1e-2, rtol: 2e-2, atol: 2e-3 });
});

test('batchNormTrain: returns the biased batch variance and the batch mean', () => {
  const x = new Tensor(Float32Array.of(1, -1, 3, 0, 2, 4), [3, 2]);
  const { stats } = batchNormTrain(x, null, null, 1e-3);
  assert.deepEqual(Array.from(stats.mean), [2, 1]);
  assert.ok(
    Math.abs(stats.variance[0]! - 2 / 3) < 1e-6 && Math.abs(stats.variance[1]! - 14 / 3) < 1e-6,
    `variance ${Array.from(stats.variance)}`,
  );
});

test('batchNormInference: gradients w.r.t. x, gamma and beta = central differences', () => {
  const x = randomVariable([6, 4], 5, { name: 'x' });
  const gamma = randomVariable([4], 6, { scale: 0.5, offset: 1, name: 'gamma' });
  const beta = randomVariable([4], 7, { name: 'beta' });
  const mean = randomConstant([4], 8);
  const variance = new Tensor(Float32Array.of(0.5, 1, 2, 4), [4]);
  gradcheck(() => project(batchNormInference(x, gamma, beta, mean, variance, 1e-3)), [x, gamma, beta], {
    h: 1e-2,
    rtol: 1e-2,
    atol: 1e-3,
  });
});
