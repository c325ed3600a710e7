/**
 * Regularizers against Keras 3's formulas (`keras/src/regularizers/regularizers.py`, computed here in
 * float64 from the same inputs): L1 = l1·Σ|w|, L2 = l2·Σw² (no ½), L1L2 = both, OrthogonalRegularizer =
 * factor·½·Σ_{i≠j}|⟨r̂ᵢ, r̂ⱼ⟩| / (n(n−1)/2); their gradients against finite differences; the
 * penalties in training (a step equal to the hand-computed update, the reported loss including the penalty); configs
 * and the TF.js dialect.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as regularizers from './regularizers.js';
import { L1, L1L2, L2, OrthogonalRegularizer } from './regularizers.js';
import { Sequential } from './model.js';
import * as layers from './layers/index.js';
import { SGD } from './optimizers/index.js';
import { Tensor } from '../tensor/tensor.js';
import { modelToArtifacts, modelFromArtifacts } from './serialization/index.js';
import { gradcheck, randomVariable } from '../../test/helpers/gradcheck.js';

const t = (values: number[], shape: number[]) => new Tensor(Float32Array.from(values), shape);
const close = (a: number, b: number, tol = 1e-5, what = '') =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what} ${a} vs ${b}`);

const W = randomVariable([4, 3], 11, { name: 'w' });
const values = () => Array.from(W.data);

/** Keras's orthogonal penalty in float64: rows (or columns) normalized as x·rsqrt(max(Σx², ε²)). */
function orthogonalReference(data: number[], rows: number, cols: number, factor: number, mode: string): number {
  const vecs: number[][] =
    mode === 'rows'
      ? Array.from({ length: rows }, (_r, i) => data.slice(i * cols, (i + 1) * cols))
      : Array.from({ length: cols }, (_c, j) => Array.from({ length: rows }, (_r, i) => data[i * cols + j]!));
  const unit = vecs.map((v) => {
    const inv =
      1 /
      Math.sqrt(
        Math.max(
          v.reduce((s, x) => s + x * x, 0),
          1e-14,
        ),
      );
    return v.map((x) => x * inv);
  });
  let total = 0;
  for (let i = 0; i < unit.length; i++)
    for (let j = 0; j < unit.length; j++)
      if (i !== j) total += Math.abs(unit[i]!.reduce((s, x, k) => s + x * unit[j]![k]!, 0));
  const n = unit.length;
  return (factor * 0.5 * total) / ((n * (n - 1)) / 2);
}

test('L1, L2 and L1L2 penalties are Keras 3 formulas (L2 without ½)', () => {
  const v = values();
  const l1 = v.reduce((s, x) => s + Math.abs(x), 0),
    l2 = v.reduce((s, x) => s + x * x, 0);
  close(new L1(0.1).call(W).data[0]!, 0.1 * l1);
  close(new L2(0.1).call(W).data[0]!, 0.1 * l2);
  close(new L1L2({ l1: 0.1, l2: 0.2 }).call(W).data[0]!, 0.1 * l1 + 0.2 * l2);
  assert.deepEqual(new L2(0.1).call(W).shape, []);
  // Keras's docstring example: L2(2) of ones(5, 5) is 50.
  close(new L2(2).call(t(new Array(25).fill(1), [5, 5])).data[0]!, 50);
  assert.equal(new L1L2().call(W).data[0], 0);
});

test('OrthogonalRegularizer: rows and columns modes match the formula', () => {
  for (const mode of ['rows', 'columns'] as const) {
    const r = new OrthogonalRegularizer({ factor: 0.1, mode });
    close(r.call(W).data[0]!, orthogonalReference(values(), 4, 3, 0.1, mode), 1e-5, mode);
  }
  // Orthonormal rows have no penalty.
  assert.ok(Math.abs(new OrthogonalRegularizer().call(t([1, 0, 0, 1], [2, 2])).data[0]!) < 1e-7);
  assert.throws(() => new OrthogonalRegularizer().call(t([1, 2, 3], [3])), /must have rank 2; received shape \[3\]/);
  assert.throws(
    () => new OrthogonalRegularizer({ mode: 'rows' }).call(t([1, 2, 3], [1, 3])),
    /needs at least 2 rows to compare; received shape \[1, 3\]/,
  );
});

test('penalty gradients agree with finite differences', () => {
  const regs = [
    new L1(0.1),
    new L2(0.3),
    new L1L2({ l1: 0.05, l2: 0.2 }),
    new OrthogonalRegularizer({ factor: 0.5, mode: 'rows' }),
    new OrthogonalRegularizer({ factor: 0.5, mode: 'columns' }),
  ];
  for (const r of regs) {
    const w = randomVariable([4, 3], 5, { name: `${r.className}` });
    gradcheck(() => r.call(w), [w], { h: 1e-3, rtol: 2e-2, atol: 1e-4 });
  }
});

test('get: Keras names, camelCase, {class_name, config}, instances; Keras 3 defaults', () => {
  const l1 = regularizers.get('l1') as L1;
  assert.ok(l1 instanceof L1 && l1.l1 === 0.01);
  assert.equal((regularizers.get('L2') as L2).l2, 0.01);
  // Keras 3: L1L2() and the name 'l1l2' default both factors to 0 (the docstring's 0.01 is Keras 2's l1_l2).
  for (const name of ['l1_l2', 'l1l2', 'l1L2', 'L1L2'])
    assert.deepEqual(regularizers.get(name)?.getConfig(), { l1: 0, l2: 0 });
  for (const name of ['orthogonal_regularizer', 'orthogonalRegularizer'])
    assert.deepEqual(regularizers.get(name)?.getConfig(), { factor: 0.01, mode: 'rows' });
  const fromKeras3 = regularizers.get({
    module: 'keras.regularizers',
    class_name: 'L1L2',
    config: { l1: 0.001, l2: 0.002 },
    registered_name: null,
  });
  assert.deepEqual(fromKeras3?.getConfig(), { l1: 0.001, l2: 0.002 });
  const inst = new L2(0.5);
  assert.equal(regularizers.get(inst), inst);
  assert.equal(regularizers.get(null), null);
  assert.equal(regularizers.get(undefined), null);
  assert.deepEqual(regularizers.serialize(new L1({ l1: 0.3 })), { class_name: 'L1', config: { l1: 0.3 } });
  assert.equal(regularizers.serialize(null), null);
  assert.equal(regularizers.l2(0.2).l2, 0.2);
  assert.equal(regularizers.l2().l2, 0.01);
  for (const r of [
    new L1(0.2),
    new L2(0.3),
    new L1L2({ l1: 1, l2: 2 }),
    new OrthogonalRegularizer({ mode: 'columns' }),
  ])
    assert.deepEqual(regularizers.get(regularizers.serialize(r))?.getConfig(), r.getConfig());
});

test('bad arguments: Keras validate_float_arg (finite, ≥ 0), modes, names and config keys', () => {
  assert.throws(() => new L2(-1), /^Error: Invalid l2 for L2: expected a number ≥ 0 or null; received -1$/);
  assert.throws(() => new L1({ l1: NaN }), /Invalid l1 for L1: expected a number ≥ 0 or null; received NaN/);
  assert.throws(() => new L1L2({ l2: Infinity }), /Invalid l2 for L1L2: .*received Infinity/);
  assert.throws(() => new L1L2({ l3: 1 } as never), /L1L2: unknown option 'l3'\. Did you mean 'l1'\?/);
  assert.throws(
    () => new OrthogonalRegularizer({ mode: 'row' as never }),
    /Invalid mode for OrthogonalRegularizer: expected one of 'rows', 'columns'; received 'row'\nhelp: did you mean/,
  );
  assert.throws(() => new OrthogonalRegularizer({ factor: -0.1 }), /Invalid factor for OrthogonalRegularizer/);
  assert.throws(
    () => regularizers.get('l3', "Dense 'd' kernelRegularizer"),
    /^Error: Dense 'd' kernelRegularizer: unknown regularizer 'l3'\. Did you mean/,
  );
  assert.throws(
    () => regularizers.get({ class_name: 'L2', config: { l1: 0.1 } }, 'here'),
    /here \(L2\): unknown config key 'l1'\. Did you mean 'l2'\?/,
  );
  assert.throws(() => regularizers.get(3 as never, 'here'), /here: expected a regularizer name .* received 3/);
  assert.throws(
    () => new layers.Dense(2, { kernelRegularizer: 'l22' }),
    /Dense '.*' kernelRegularizer: unknown regularizer 'l22'\. Did you mean 'l2'\?/,
  );
});

test("Keras's docstring example: Dense kernel L1(0.01) + activity L2(0.01) on ones·2 gives 5.25", () => {
  const dense = new layers.Dense(5, {
    inputShape: [5],
    kernelInitializer: 'ones',
    kernelRegularizer: new L1(0.01),
    activityRegularizer: new L2(0.01),
  });
  dense.apply(t(new Array(25).fill(2), [5, 5]));
  const losses = dense.regularizationLosses().map((l) => l.data[0]!);
  assert.equal(losses.length, 2);
  close(losses[0]!, 0.25); // 0.01·25
  close(losses[1]!, 5); // 0.01·25·10² / batch 5
});

/** A Dense(2) on 3 features without bias, kernel W, SGD(lr), MSE; returns the model. */
function l2Model(reg: regularizers.RegularizerLike, lr: number, kernel: number[]): Sequential {
  const m = new Sequential([
    new layers.Dense(2, { inputShape: [3], useBias: false, kernelRegularizer: reg, name: 'd' }),
  ]);
  m.build([3]);
  m.setWeights([t(kernel, [3, 2])]);
  m.compile({ optimizer: new SGD({ learningRate: lr }), loss: 'mse' });
  return m;
}

test('a training step with L2 is the hand-computed update; the reported loss includes the penalty', async () => {
  const kernel = [0.5, -0.3, 0.2, 0.8, -0.6, 0.1];
  const x = [1, 2, -1, 0.5, -1.5, 2],
    y = [1, 0, -1, 2];
  const l2 = 0.1,
    lr = 0.05;
  // MSE over N = 2 samples × U = 2 units: L = Σ(xW − y)²/4, ∂L/∂W = 2·xᵀ(xW − y)/4; penalty l2·ΣW²,
  // ∂ = 2·l2·W.
  const pred = [0, 0, 0, 0];
  for (let n = 0; n < 2; n++)
    for (let u = 0; u < 2; u++) for (let i = 0; i < 3; i++) pred[n * 2 + u]! += x[n * 3 + i]! * kernel[i * 2 + u]!;
  const resid = pred.map((p, k) => p - y[k]!);
  const mse = resid.reduce((s, r) => s + r * r, 0) / 4;
  const penalty = l2 * kernel.reduce((s, w) => s + w * w, 0);
  const expected = kernel.map((w, k) => {
    const i = Math.floor(k / 2),
      u = k % 2;
    let g = 0;
    for (let n = 0; n < 2; n++) g += (2 * x[n * 3 + i]! * resid[n * 2 + u]!) / 4;
    return w - lr * (g + 2 * l2 * w);
  });

  const m = l2Model(new L2(l2), lr, kernel);
  const out = m.trainOnBatch(t(x, [2, 3]), t(y, [2, 2]));
  close(out.loss!, mse + penalty, 1e-5, 'trainOnBatch loss');
  Array.from(m.getWeights()[0]!.data).forEach((w, k) => close(w, expected[k]!, 1e-5, `w[${k}]`));

  const f = l2Model('l2', lr, kernel); // 'l2' is L2(0.01)
  const history = await f.fit(t(x, [2, 3]), t(y, [2, 2]), { epochs: 1, batchSize: 2, verbose: 0, shuffle: false });
  close(history.history.loss![0]!, mse + 0.01 * kernel.reduce((s, w) => s + w * w, 0), 1e-5, 'fit loss');

  // evaluate adds the penalties too (Keras's compute_loss adds model.losses in test_step).
  const e = l2Model(new L2(l2), lr, kernel);
  close(e.evaluate(t(x, [2, 3]), t(y, [2, 2])).loss!, mse + penalty, 1e-5, 'evaluate');
});

test('activity penalty in fit is divided by the batch size; frozen layers add no weight penalty', () => {
  const m = new Sequential([
    new layers.Dense(1, {
      inputShape: [1],
      useBias: false,
      kernelInitializer: 'ones',
      activityRegularizer: new L2(0.5),
      kernelRegularizer: new L1(1),
      name: 'a',
    }),
  ]);
  m.compile({ optimizer: new SGD({ learningRate: 1e-9 }), loss: 'mse' });
  // Outputs [1, 3], targets equal: MSE 0; activity 0.5·(1 + 9)/2 = 2.5; kernel 1·|1| = 1.
  close(m.trainOnBatch(t([1, 3], [2, 1]), t([1, 3], [2, 1])).loss!, 3.5);
  m.layers[0]!.setTrainable(false);
  close(m.trainOnBatch(t([1, 3], [2, 1]), t([1, 3], [2, 1])).loss!, 2.5);
});

test('configs write the regularizers (null when absent) and round trip, with Keras 3 objects read', () => {
  const d = new layers.Dense(3, { kernelRegularizer: 'l2', biasRegularizer: new L1(0.2), activityRegularizer: 'l1l2' });
  const config = d.getConfig();
  assert.deepEqual(config.kernel_regularizer, { class_name: 'L2', config: { l2: 0.01 } });
  assert.deepEqual(config.bias_regularizer, { class_name: 'L1', config: { l1: 0.2 } });
  assert.deepEqual(config.activity_regularizer, { class_name: 'L1L2', config: { l1: 0, l2: 0 } });
  const copy = layers.layerFromConfig({ class_name: 'Dense', config: JSON.parse(JSON.stringify(config)) });
  assert.deepEqual(copy.getConfig(), config);
  assert.equal(new layers.Dense(3).getConfig().kernel_regularizer, null);
  const keras3 = layers.layerFromConfig({
    class_name: 'Dense',
    config: {
      units: 2,
      kernel_regularizer: {
        module: 'keras.regularizers',
        class_name: 'L2',
        config: { l2: 1e-4 },
        registered_name: null,
      },
    },
  }) as layers.Dense;
  assert.equal((keras3.kernelRegularizer as L2).l2, 1e-4);
  const bn = new layers.BatchNormalization({ gammaRegularizer: 'l2', betaRegularizer: 'l1' });
  assert.deepEqual(bn.getConfig().gamma_regularizer, { class_name: 'L2', config: { l2: 0.01 } });
  assert.deepEqual(
    layers.layerFromConfig({ class_name: 'BatchNormalization', config: bn.getConfig() }).getConfig(),
    bn.getConfig(),
  );
  const prelu = new layers.PReLU({ alphaRegularizer: { class_name: 'L1', config: { l1: 0.3 } } });
  assert.deepEqual(prelu.getConfig().alpha_regularizer, { class_name: 'L1', config: { l1: 0.3 } });
  prelu.build([2]);
  close(prelu.regularizationLosses()[0]!.data[0]!, 0); // alpha starts at zeros
});

test('BatchNormalization and PReLU penalties reach their weights in training', () => {
  const m = new Sequential([
    new layers.BatchNormalization({ inputShape: [2], gammaRegularizer: new L2(1), name: 'bn' }),
    new layers.PReLU({ alphaRegularizer: new L1(1), alphaInitializer: 'ones', name: 'p' }),
  ]);
  m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
  // Inputs whose batch-normalized values equal the targets: only the penalties move gamma and alpha.
  const x = t([1, -1, -1, 1], [2, 2]);
  const before = m.layers.map((l) => l.regularizationLosses().map((p) => p.data[0]!));
  assert.deepEqual(before, [[2], [2]]); // gamma ones: 1·Σ1²; alpha ones: 1·Σ|1|
  m.trainOnBatch(x, m.predict(x, { training: true }));
  const gamma = (m.layers[0] as layers.BatchNormalization).gamma!.data;
  const alpha = (m.layers[1] as layers.PReLU).alpha!.data;
  // The MSE gradient is zero: gamma − 0.1·2·l2·gamma = 0.8, alpha − 0.1·l1·sign(alpha) = 0.9.
  for (const g of gamma) close(g, 0.8, 1e-6, 'gamma');
  for (const a of alpha) close(a, 0.9, 1e-6, 'alpha');
});

test('TF.js export writes L1 and L2 as L1L2 and refuses OrthogonalRegularizer', () => {
  const m = new Sequential([
    new layers.Dense(2, { inputShape: [3], kernelRegularizer: new L2(0.2), biasRegularizer: 'l1', name: 'd' }),
  ]);
  const art = modelToArtifacts(m);
  const topo = art.modelJson.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } };
  const dense = topo.config.layers.find((l) => l.config.name === 'd')!.config;
  assert.deepEqual(dense.kernel_regularizer, { class_name: 'L1L2', config: { l1: 0, l2: 0.2 } });
  assert.deepEqual(dense.bias_regularizer, { class_name: 'L1L2', config: { l1: 0.01, l2: 0 } });
  const json = { ...art.modelJson, weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs }] };
  const loaded = modelFromArtifacts(json, [art.weightData], 'model.json');
  assert.deepEqual((loaded.layers[0] as layers.Dense).kernelRegularizer?.getConfig(), { l1: 0, l2: 0.2 });
  const ortho = new Sequential([
    new layers.Dense(2, { inputShape: [3], kernelRegularizer: new OrthogonalRegularizer(), name: 'o' }),
  ]);
  assert.throws(
    () => modelToArtifacts(ortho),
    /saveModel: layer 'o' \(Dense\) kernel_regularizer: the OrthogonalRegularizer regularizer cannot be written/,
  );
  const leaky = new Sequential([
    new layers.Dense(2, {
      inputShape: [3],
      activation: new layers.LeakyReLU({ negativeSlope: 0.1 }),
      activityRegularizer: 'l2',
      name: 'k',
    }),
  ]);
  assert.throws(() => modelToArtifacts(leaky), /its activity_regularizer would apply before the activation/);
});
