/**
 * The NaN guard: fit stops naming the step and the layer where a NaN/Inf first
 * appeared; onNaN 'rollback' restores the last checkpoint, halves the learning
 * rate and continues.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential, layers, setSeed, Random, Tensor } from '../../src/index.js';
import { SGD } from '../../src/nn/optimizers/index.js';

function regression(samples: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Random(seed);
  const x = new Float32Array(samples * 4),
    y = new Float32Array(samples);
  for (let i = 0; i < samples; i++) {
    let s = 0;
    for (let j = 0; j < 4; j++) {
      const v = 3 * rng.normal();
      x[i * 4 + j] = v;
      s += v * (j - 1.5);
    }
    y[i] = s;
  }
  return { x: new Tensor(x, [samples, 4]), y: new Tensor(y, [samples, 1]) };
}

test('x with a NaN or ±Inf: fit refuses before the first step, naming the sample (any block scanned)', async () => {
  // 1,000 samples × 4 features: the scan sums blocks of 1,024 values, so these land in the first, a middle
  // and the last (partial) block, at a block's first and last value.
  for (const [at, bad] of [
    [0, NaN],
    [1023, Infinity],
    [1024, -Infinity],
    [2051, NaN],
    [3999, NaN],
  ] as const) {
    setSeed(1);
    const model = new Sequential([new layers.Dense(1, { inputShape: [4], name: 'out' })]);
    model.compile({ optimizer: new SGD({ learningRate: 0.001 }), loss: 'mse' });
    const { x, y } = regression(1000, 3);
    x.data[at] = bad;
    if (at < 3999) x.data[3999] = NaN; // a later one: the first is named
    const before = Float32Array.from(model.layers[0]!.weights[0]!.data);
    await assert.rejects(
      model.fit(x, y, { epochs: 1, batchSize: 100, verbose: 0 }),
      new RegExp(`fit: x contains ${String(bad)} at sample ${Math.floor(at / 4)}$`),
    );
    assert.deepEqual(model.layers[0]!.weights[0]!.data, before, 'no step ran');
  }
});

test('stop: the message names the epoch, the step and the first layer whose output overflowed', async () => {
  setSeed(1);
  const model = new Sequential([
    new layers.Dense(6, { inputShape: [4], activation: 'relu', name: 'hidden' }),
    new layers.Dense(6, { name: 'wide' }),
    new layers.Dense(1, { name: 'out' }),
  ]);
  model.compile({ optimizer: new SGD({ learningRate: 0.001 }), loss: 'mse' });
  // One huge weight: 'wide''s output overflows to Inf in the forward pass of the very first step.
  model.layers[1]!.weights[0]!.data.fill(3e38);
  const { x, y } = regression(64, 2);
  const history = await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
  assert.ok(history.nonFinite !== null);
  assert.equal(history.nonFinite.layer, 'wide');
  assert.equal(history.nonFinite.step, 0);
  assert.match(history.nonFinite.message, /epoch 1, step 1 \(global step 1\).*output of layer 'wide' \(Dense\)/);
});

test(
  'stop: a diverging learning rate is caught at the first non-finite gradient or weight, named by ' + 'layer',
  async () => {
    setSeed(1);
    const model = new Sequential([
      new layers.Dense(8, { inputShape: [4], name: 'h1' }),
      new layers.Dense(1, { name: 'h2' }),
    ]);
    model.compile({ optimizer: new SGD({ learningRate: 0.5 }), loss: 'mse' });
    const { x, y } = regression(256, 3);
    const history = await model.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0 });
    assert.ok(history.nonFinite !== null, 'training diverged');
    assert.match(
      history.nonFinite.message,
      /Training stopped at epoch \d+, step \d+ \(global step \d+\): .*layer '(h1|h2)'/,
    );
    assert.ok(['h1', 'h2'].includes(history.nonFinite.layer!));
    // A non-finite gradient is never applied: the weights stay finite when the gradient is what failed.
    if (/gradient/.test(history.nonFinite.message))
      assert.ok(model.weights.every((w) => w.data.every(Number.isFinite)));
  },
);

test('stop: a kernel gradient that overflows while the loss is finite is named and never applied', async () => {
  // Feature 0 is 1e30 but h1's weights on it are 0, so every output and the loss stay finite; with out's weight
  // at 1e5 the gradient reaching h1 is ~1e9, and h1's kernel gradient on feature 0 (Σ x·dz) overflows to Inf.
  // That gradient is scanned by the kernel that computes it (matmulScanned): this is its path to the report.
  setSeed(1);
  const model = new Sequential([
    new layers.Dense(2, { inputShape: [4], name: 'h1' }),
    new layers.Dense(1, { name: 'out' }),
  ]);
  model.compile({ optimizer: new SGD({ learningRate: 1e-3 }), loss: 'mse' });
  const h1 = model.layers[0]!.weights[0]!;
  h1.data.fill(0.5);
  h1.data.fill(0, 0, 2); // row 0: feature 0's weights
  model.layers[1]!.weights[0]!.data.fill(1e5);
  const { x, y } = regression(16, 5);
  for (let i = 0; i < 16; i++) x.data[i * 4] = 1e30;
  const before = model.weights.map((w) => Float32Array.from(w.data));
  const history = await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, shuffle: false });
  assert.ok(history.nonFinite !== null);
  assert.equal(history.nonFinite.layer, 'h1');
  assert.match(history.nonFinite.message, /gradient of layer 'h1' \(Dense\) became non-finite .*not applied/);
  assert.ok(Number.isFinite(history.history.loss?.[0] ?? 0));
  model.weights.forEach((w, i) => assert.deepEqual(w.data, before[i], `${w.name} unchanged`));
});

test('rollback: restores the last checkpoint, halves the learning rate and finishes with finite weights', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-rollback-'));
  try {
    setSeed(1);
    const model = new Sequential([
      new layers.Dense(8, { inputShape: [4], name: 'h1' }),
      new layers.Dense(1, { name: 'h2' }),
    ]);
    const optimizer = new SGD({ learningRate: 0.5 });
    model.compile({ optimizer, loss: 'mse' });
    const { x, y } = regression(256, 3);
    const history = await model.fit(x, y, {
      epochs: 6,
      batchSize: 16,
      verbose: 0,
      onNaN: 'rollback',
      checkpointDir: dir,
      checkpointFreq: 4,
      maxRollbacks: 10,
    });
    assert.equal(history.nonFinite, null, history.nonFinite?.message);
    assert.ok(history.rollbacks.length >= 1, 'at least one rollback happened');
    const rates = history.rollbacks.map((r) => r.learningRate);
    rates.forEach((r, i) => assert.equal(r, 0.5 / 2 ** (i + 1)));
    assert.equal(optimizer.learningRate, rates[rates.length - 1]);
    assert.deepEqual(history.epoch, [0, 1, 2, 3, 4, 5]);
    assert.ok(model.weights.every((w) => w.data.every(Number.isFinite)));
    assert.ok(history.history.loss!.every(Number.isFinite));
    console.log(
      `  ${history.rollbacks.length} rollback(s); learning rates ${rates.join(', ')}; final loss ` +
        `${history.history.loss!.at(-1)!.toFixed(4)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rollback: gives up after maxRollbacks and reports it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-rollback-'));
  try {
    setSeed(1);
    const model = new Sequential([new layers.Dense(1, { inputShape: [4], name: 'only' })]);
    model.compile({ optimizer: new SGD({ learningRate: 0.001 }), loss: 'mse' });
    const { x } = regression(32, 4);
    const y = new Tensor(new Float32Array(32).fill(Infinity), [32, 1]); // hopeless: the target itself is Inf
    const history = await model.fit(x, y, {
      epochs: 2,
      batchSize: 8,
      verbose: 0,
      onNaN: 'rollback',
      checkpointDir: dir,
      maxRollbacks: 2,
    });
    assert.ok(history.nonFinite !== null);
    assert.equal(history.rollbacks.length, 2);
    assert.match(history.nonFinite.message, /gave up after 2 rollbacks/);
    await assert.rejects(model.fit(x, y, { onNaN: 'rollback' }), /checkpointDir is required/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
