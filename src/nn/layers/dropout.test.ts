/** Dropout: rate validation, inverted scaling in training, identity at inference. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dropout } from './dropout.js';
import { layerFromConfig } from './index.js';
import { Tensor } from '../../tensor/tensor.js';

test('rate outside [0, 1] is an error (Keras: `if not 0 <= rate <= 1: raise ValueError`), printed as received', () => {
  for (const rate of [-0.1, 1.5, NaN]) {
    assert.throws(
      () => new Dropout(rate),
      new RegExp(`Invalid rate for Dropout .*expected a number in \\[0, 1\\]; received ${rate}$`),
      `rate ${rate}`,
    );
  }
  assert.doesNotThrow(() => new Dropout(0));
  assert.throws(() => new Dropout({ rate: 0.5, noiseShape: [0, 2] }), /Invalid noiseShape/);
});

test('rate 1 drops every unit in training (Keras JAX/NumPy backends: zeros) and is the identity at inference', () => {
  const x = new Tensor(
    Float32Array.from({ length: 12 }, (_v, i) => i - 5),
    [3, 4],
  );
  const layer = new Dropout(1, { seed: 1 });
  assert.ok(Array.from(layer.apply(x, { training: true }).data).every((v) => v === 0));
  assert.equal(layer.apply(x, { training: false }), x);
});

test('noiseShape shares one draw along the axes where it is 1 (Keras noise_shape)', () => {
  const rows = 64,
    cols = 50;
  const x = new Tensor(new Float32Array(rows * cols).fill(1), [rows, cols]);
  const layer = new Dropout({ rate: 0.5, seed: 3, noiseShape: [1, null] });
  const y = layer.apply(x, { training: true }).data;
  for (let r = 1; r < rows; r++) {
    for (let c = 0; c < cols; c++) assert.equal(y[r * cols + c], y[c], `column ${c} is dropped for every row or none`);
  }
  const dropped = Array.from(y.subarray(0, cols)).filter((v) => v === 0).length;
  assert.ok(dropped > 10 && dropped < 40, `${dropped} of ${cols} columns dropped at rate 0.5`);
  assert.deepEqual(layer.getConfig().noise_shape, [1, null]);
  const copy = layerFromConfig({ class_name: 'Dropout', config: layer.getConfig() }) as Dropout;
  assert.deepEqual(copy.noiseShape, [1, null]);
});

test('training: mean preserved, kept units scaled to exactly 1/(1 − rate); inference: identity', () => {
  const n = 200_000,
    rate = 0.3;
  const x = new Tensor(new Float32Array(n).fill(1), [n / 100, 100]);
  const layer = new Dropout({ rate, seed: 7 });
  const y = layer.apply(x, { training: true }).data;
  let sum = 0,
    max = 0,
    zeros = 0;
  for (const v of y) {
    sum += v;
    max = Math.max(max, v);
    if (v === 0) zeros++;
  }
  assert.ok(Math.abs(sum / n - 1) < 0.01, `mean ${sum / n}, input mean 1`);
  assert.ok(Math.abs(max - 1 / (1 - rate)) < 1e-6, `max ${max}, expected ${1 / (1 - rate)}`);
  assert.ok(Math.abs(zeros / n - rate) < 0.01, `dropped ${zeros / n}`);
  assert.equal(layer.apply(x, { training: false }), x);
});

test('two training calls draw different masks; the same seed reproduces them', () => {
  const x = new Tensor(new Float32Array(1000).fill(1), [10, 100]);
  const a = new Dropout({ rate: 0.5, seed: 11 }),
    b = new Dropout({ rate: 0.5, seed: 11 });
  const a1 = Array.from(a.apply(x, { training: true }).data),
    a2 = Array.from(a.apply(x, { training: true }).data);
  assert.notDeepEqual(a1, a2);
  assert.deepEqual(Array.from(b.apply(x, { training: true }).data), a1);
});

test('getConfig round trip', () => {
  const d = new Dropout({ rate: 0.2, seed: 3, name: 'drop' });
  const copy = layerFromConfig({ class_name: 'Dropout', config: d.getConfig() }) as Dropout;
  assert.deepEqual(copy.getConfig(), d.getConfig());
  assert.equal(copy.rate, 0.2);
  const x = new Tensor(
    Float32Array.from({ length: 50 }, (_v, i) => i),
    [5, 10],
  );
  assert.deepEqual(
    copy.apply(x, { training: true }).data,
    d.apply(x, { training: true }).data,
    'same seed → same mask',
  );
});
