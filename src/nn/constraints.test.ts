/**
 * Constraints against Keras 3's closed forms (`keras/src/constraints/constraints.py`, computed here in
 * float64): norms over `axis` with ε = 1e-7 in the divisor, e.g. MaxNorm on a Dense kernel [in, units]
 * with axis 0 rescales each unit's column to norm ≤ maxValue; applied after each optimizer update in
 * fit and trainOnBatch; configs, bad arguments and the TF.js dialect.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as constraints from './constraints.js';
import { MaxNorm, MinMaxNorm, NonNeg, UnitNorm } from './constraints.js';
import { Sequential } from './model.js';
import * as layers from './layers/index.js';
import { SGD } from './optimizers/index.js';
import { Tensor } from '../tensor/tensor.js';
import { modelToArtifacts, modelFromArtifacts } from './serialization/index.js';

const EPS = 1e-7;
const t = (values: number[], shape: number[]) => new Tensor(Float32Array.from(values), shape);
const close = (a: number, b: number, tol = 1e-6, what = '') =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what} ${a} vs ${b}`);

/** A [3, 2] kernel: column 0 has norm 13 (5, 12, 0), column 1 norm 0.5 (0.3, 0, 0.4). */
const KERNEL = [5, 0.3, 12, 0, 0, 0.4];
const columnNorm = (d: ArrayLike<number>, j: number) => Math.hypot(d[j]!, d[2 + j]!, d[4 + j]!);

/** Keras's rescaling of each column j: w·desired(n)/(ε + n), n its L2 norm. */
function perColumn(desired: (n: number) => number): number[] {
  return KERNEL.map((w, k) => {
    const n = columnNorm(KERNEL, k % 2);
    return (w * desired(n)) / (EPS + n);
  });
}

function assertValues(actual: ArrayLike<number>, expected: number[], what: string): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => close(actual[i]!, e, 1e-6, `${what}[${i}]`));
}

test('MaxNorm (axis 0) rescales each column of a [in, units] kernel to norm ≤ maxValue', () => {
  const out = new MaxNorm({ maxValue: 2 }).call(t(KERNEL, [3, 2]));
  assertValues(
    out.data,
    perColumn((n) => Math.min(n, 2)),
    'MaxNorm',
  );
  close(columnNorm(out.data, 0), 2, 1e-6, 'clipped column');
  close(columnNorm(out.data, 1), 0.5, 1e-6, 'column under the bound');
  // axis 1: each row's norm.
  const rows = new MaxNorm({ maxValue: 1, axis: 1 }).call(t(KERNEL, [3, 2])).data;
  for (let r = 0; r < 3; r++) {
    const n = Math.hypot(KERNEL[2 * r]!, KERNEL[2 * r + 1]!);
    for (let c = 0; c < 2; c++) close(rows[2 * r + c]!, (KERNEL[2 * r + c]! * Math.min(n, 1)) / (EPS + n));
  }
  // axis -1 is the last axis; [0, 1] is the whole matrix.
  assert.deepEqual(new MaxNorm({ maxValue: 1, axis: -1 }).call(t(KERNEL, [3, 2])).data, rows);
  const all = Math.hypot(...KERNEL);
  const whole = new MaxNorm({ maxValue: 1, axis: [0, 1] }).call(t(KERNEL, [3, 2])).data;
  KERNEL.forEach((w, i) => close(whole[i]!, w / (EPS + all)));
});

test('UnitNorm, MinMaxNorm (rate) and NonNeg match the closed forms', () => {
  assertValues(
    new UnitNorm().call(t(KERNEL, [3, 2])).data,
    perColumn(() => 1),
    'UnitNorm',
  );
  const mm = new MinMaxNorm({ minValue: 1, maxValue: 3, rate: 0.5 });
  assertValues(
    mm.call(t(KERNEL, [3, 2])).data,
    perColumn((n) => 0.5 * Math.min(3, Math.max(1, n)) + 0.5 * n),
    'MinMaxNorm',
  );
  assertValues(
    new MinMaxNorm().call(t(KERNEL, [3, 2])).data,
    perColumn((n) => Math.min(1, n)),
    'MinMaxNorm defaults',
  );
  assert.deepEqual(Array.from(new NonNeg().call(t([-1, 0, 2, -0.5], [2, 2])).data), [0, 0, 2, 0]);
  // A zero column stays zero (ε keeps the division finite).
  assertValues(new UnitNorm().call(t([0, 1, 0, 0], [2, 2])).data, [0, 1 / (1 + EPS), 0, 0], 'zero column');
  const w = t(KERNEL, [3, 2]);
  new MaxNorm().call(w);
  assert.deepEqual(Array.from(w.data), Array.from(Float32Array.from(KERNEL)), 'call leaves its input unchanged');
});

test('get: Keras names, camelCase, {class_name, config}, instances; defaults and configs', () => {
  assert.deepEqual(constraints.get('max_norm')?.getConfig(), { max_value: 2, axis: 0 });
  assert.deepEqual(constraints.get('maxNorm')?.getConfig(), { max_value: 2, axis: 0 });
  assert.deepEqual(constraints.get('unit_norm')?.getConfig(), { axis: 0 });
  assert.deepEqual(constraints.get('min_max_norm')?.getConfig(), { min_value: 0, max_value: 1, rate: 1, axis: 0 });
  assert.ok(constraints.get('non_neg') instanceof NonNeg);
  assert.ok(constraints.get('NonNeg') instanceof NonNeg);
  const keras3 = constraints.get({
    module: 'keras.constraints',
    class_name: 'MaxNorm',
    config: { max_value: 3, axis: [0] },
    registered_name: null,
  }) as MaxNorm;
  assert.equal(keras3.maxValue, 3);
  assert.deepEqual(keras3.axis, [0]);
  const inst = new UnitNorm({ axis: 1 });
  assert.equal(constraints.get(inst), inst);
  assert.equal(constraints.get(null), null);
  for (const c of [new MaxNorm({ maxValue: 4, axis: 1 }), new MinMaxNorm({ rate: 0.3 }), new NonNeg(), inst])
    assert.deepEqual(constraints.get(constraints.serialize(c))?.getConfig(), c.getConfig());
  assert.deepEqual(constraints.serialize(new NonNeg()), { class_name: 'NonNeg', config: {} });
  assert.equal(constraints.maxNorm({ maxValue: 5 }).maxValue, 5);
});

test('bad arguments name the option, the value and what is expected', () => {
  assert.throws(
    () => new MaxNorm({ maxValue: -1 }),
    /^Error: Invalid maxValue for MaxNorm: expected a number ≥ 0; received -1$/,
  );
  assert.throws(
    () => new MaxNorm({ axis: 1.5 }),
    /Invalid axis for MaxNorm: expected an integer or a non-empty list of integers; received 1\.5/,
  );
  assert.throws(() => new UnitNorm({ axis: [] }), /Invalid axis for UnitNorm/);
  assert.throws(
    () => new MinMaxNorm({ rate: 2 }),
    /Invalid rate for MinMaxNorm: expected a number in \[0, 1\]; received 2/,
  );
  assert.throws(
    () => new MinMaxNorm({ minValue: 2, maxValue: 1 }),
    /Invalid maxValue for MinMaxNorm: expected a number ≥ minValue \(2\); received 1/,
  );
  assert.throws(
    () => new MaxNorm({ max_value: 3 } as never),
    /MaxNorm: unknown option 'max_value'\. Did you mean 'maxValue'\?/,
  );
  assert.throws(
    () => constraints.get('max_nrom', 'here'),
    /here: unknown constraint 'max_nrom'\. Did you mean 'max_norm'\?/,
  );
  assert.throws(
    () => constraints.get({ class_name: 'UnitNorm', config: { axes: 0 } }, 'here'),
    /unknown config key 'axes'\. Did you mean 'axis'\?/,
  );
  // An axis the weight does not have is refused when the weight is created, not at the first update.
  const d = new layers.Dense(2, { kernelConstraint: new MaxNorm({ axis: 2 }), name: 'd' });
  assert.throws(
    () => d.build([3]),
    /Dense 'd' weight 'kernel' \(MaxNorm\): axis 2 does not fit a weight of shape \[3, 2\] \(rank 2\)/,
  );
  assert.throws(
    () => new layers.Dense(2, { biasConstraint: 'nonneg' }),
    /Dense '.*' biasConstraint: unknown constraint 'nonneg'\. Did you mean/,
  );
});

/** A Dense(2) on 3 features without bias with kernel KERNEL·0.1, SGD(lr), MSE, and a kernel constraint. */
function constrained(constraint: constraints.ConstraintLike, lr: number): Sequential {
  const m = new Sequential([
    new layers.Dense(2, { inputShape: [3], useBias: false, kernelConstraint: constraint, name: 'd' }),
  ]);
  m.build([3]);
  m.setWeights([t(KERNEL, [3, 2])]);
  m.compile({ optimizer: new SGD({ learningRate: lr }), loss: 'mse' });
  return m;
}

test('training applies the constraint after each update: the SGD step, then the closed form', async () => {
  const x = [1, 2, -1, 0.5, -1.5, 2],
    y = [1, 0, -1, 2];
  const lr = 0.01;
  // The unconstrained SGD step on MSE over 2 samples × 2 units.
  const pred = [0, 0, 0, 0];
  for (let n = 0; n < 2; n++)
    for (let u = 0; u < 2; u++) for (let i = 0; i < 3; i++) pred[n * 2 + u]! += x[n * 3 + i]! * KERNEL[i * 2 + u]!;
  const stepped = KERNEL.map((w, k) => {
    const i = Math.floor(k / 2),
      u = k % 2;
    let g = 0;
    for (let n = 0; n < 2; n++) g += (2 * x[n * 3 + i]! * (pred[n * 2 + u]! - y[n * 2 + u]!)) / 4;
    return w - lr * g;
  });
  const expected = stepped.map((w, k) => {
    const n = columnNorm(stepped, k % 2);
    return (w * Math.min(n, 1)) / (EPS + n);
  });
  const m = constrained(new MaxNorm({ maxValue: 1 }), lr);
  m.trainOnBatch(t(x, [2, 3]), t(y, [2, 2]));
  assertValues(m.getWeights()[0]!.data, expected, 'trainOnBatch');
  const f = constrained('unit_norm', lr);
  await f.fit(t(x, [2, 3]), t(y, [2, 2]), { epochs: 3, batchSize: 1, verbose: 0 });
  for (const j of [0, 1]) close(columnNorm(f.getWeights()[0]!.data, j), 1, 1e-5, `unit column ${j}`);
});

test('BatchNormalization gamma/beta and PReLU alpha constraints; frozen layers are left alone', () => {
  const m = new Sequential([
    new layers.BatchNormalization({
      inputShape: [2],
      gammaConstraint: 'non_neg',
      betaConstraint: new MaxNorm({ maxValue: 0.1 }),
    }),
    new layers.PReLU({
      alphaConstraint: 'non_neg',
      alphaInitializer: { class_name: 'Constant', config: { value: -0.5 } },
    }),
  ]);
  m.compile({ optimizer: new SGD({ learningRate: 1e-9 }), loss: 'mse' });
  const bn = m.layers[0] as layers.BatchNormalization,
    prelu = m.layers[1] as layers.PReLU;
  m.build([2]);
  bn.gamma!.assign(Float32Array.of(-1, 2));
  bn.beta!.assign(Float32Array.of(3, 4));
  m.trainOnBatch(t([1, 2, 3, 5], [2, 2]), t([0, 0, 0, 0], [2, 2]));
  assert.equal(bn.gamma!.data[0], 0);
  close(bn.gamma!.data[1]!, 2, 1e-6, 'gamma kept');
  close(Math.hypot(bn.beta!.data[0]!, bn.beta!.data[1]!), 0.1, 1e-5, 'beta norm');
  assert.deepEqual(Array.from(prelu.alpha!.data), [0, 0]);
  // Frozen: the constraint (like the update) does not touch its weights.
  prelu.alpha!.assign(Float32Array.of(-1, -1));
  prelu.setTrainable(false);
  m.trainOnBatch(t([1, 2, 3, 5], [2, 2]), t([0, 0, 0, 0], [2, 2]));
  assert.deepEqual(Array.from(prelu.alpha!.data), [-1, -1]);
});

test('configs write the constraints (null when absent) and round trip', () => {
  const d = new layers.Dense(3, { kernelConstraint: 'max_norm', biasConstraint: new NonNeg() });
  const config = d.getConfig();
  assert.deepEqual(config.kernel_constraint, { class_name: 'MaxNorm', config: { max_value: 2, axis: 0 } });
  assert.deepEqual(config.bias_constraint, { class_name: 'NonNeg', config: {} });
  assert.deepEqual(
    layers.layerFromConfig({ class_name: 'Dense', config: JSON.parse(JSON.stringify(config)) }).getConfig(),
    config,
  );
  assert.equal(new layers.Dense(3).getConfig().kernel_constraint, null);
  const p = new layers.PReLU({ alphaConstraint: 'unit_norm' });
  assert.deepEqual(layers.layerFromConfig({ class_name: 'PReLU', config: p.getConfig() }).getConfig(), p.getConfig());
});

test('TF.js export keeps the four classes (single axis) and refuses several axes', () => {
  const m = new Sequential([
    new layers.Dense(2, {
      inputShape: [3],
      kernelConstraint: new MinMaxNorm({ minValue: 0.5, axis: [0] }),
      biasConstraint: 'non_neg',
      name: 'd',
    }),
  ]);
  const art = modelToArtifacts(m);
  const topo = art.modelJson.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } };
  const dense = topo.config.layers.find((l) => l.config.name === 'd')!.config;
  assert.deepEqual(dense.kernel_constraint, {
    class_name: 'MinMaxNorm',
    config: { min_value: 0.5, max_value: 1, rate: 1, axis: 0 },
  });
  assert.deepEqual(dense.bias_constraint, { class_name: 'NonNeg', config: {} });
  const json = { ...art.modelJson, weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs }] };
  const loaded = modelFromArtifacts(json, [art.weightData], 'model.json').layers[0] as layers.Dense;
  assert.deepEqual(loaded.kernelConstraint?.getConfig(), { min_value: 0.5, max_value: 1, rate: 1, axis: 0 });
  const many = new Sequential([
    new layers.Dense(2, { inputShape: [3], kernelConstraint: new MaxNorm({ axis: [0, 1] }), name: 'm' }),
  ]);
  assert.throws(
    () => modelToArtifacts(many),
    /saveModel: layer 'm' \(Dense\) kernel_constraint: MaxNorm over axes \[0,1\] cannot be written in the TF\.js/,
  );
});
