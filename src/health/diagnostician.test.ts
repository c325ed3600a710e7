/**
 * The diagnostician's parts, each against a closed form or a hand-built case: chance baselines (ln K, the targets'
 * variance), the new lint rules (output vs loss, BatchNormalization misuse, dropout, negative ReLU bias), the root
 * cause and its contradiction check, the learning-rate range test's choice, repairs that keep `repeat` blocks and
 * say what changed, dead units at batch size 1, and GradientMonitor's verbose findings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atChance, baselineOf } from './baseline.js';
import { lintConfig } from './lint.js';
import { parseRunConfig } from '../run-config/run-config.js';
import { rootCause, contradicts } from './root-cause.js';
import { suggestRate } from './lr-range.js';
import { applyRemedies } from './remedies.js';
import { compressRepeats, describeChanges, sourceWithRepeats } from './repair-config.js';
import { remedies } from './remedy-catalog.js';
import type { Finding } from './types.js';
import { Sequential } from '../nn/model.js';
import { Dense } from '../nn/layers/dense.js';
import { SGD } from '../nn/optimizers/sgd.js';
import { Tensor } from '../tensor/tensor.js';
import { setSeed } from '../tensor/rng.js';
import { GradientMonitor } from './probe.js';
import { diagnose } from './diagnose.js';

test('chance: balanced K classes give ln K; regression gives the variance of the targets', () => {
  const y = new Float32Array(400).map((_v, i) => i % 4);
  const b = baselineOf('sparse_categorical_crossentropy', y, y, 4);
  assert.ok(Math.abs(b.loss - Math.log(4)) < 1e-6);
  assert.ok(Math.abs(b.chance - Math.log(4)) < 1e-12);
  assert.ok(Math.abs(b.accuracy! - 0.25) < 1e-6);
  const t = new Float32Array([1, 2, 3, 4, 5]);
  const r = baselineOf('mean_squared_error', t, t, 1);
  assert.ok(Math.abs(r.loss - 2) < 1e-6); // mean 3, squared deviations 4+1+0+1+4 over 5
  // Binary: p(1) = 0.2 → entropy −0.2 ln 0.2 − 0.8 ln 0.8.
  const yb = new Float32Array(10).map((_v, i) => (i < 2 ? 1 : 0));
  const bb = baselineOf('binary_crossentropy', yb, yb, 2);
  assert.ok(Math.abs(bb.loss - -(0.2 * Math.log(0.2) + 0.8 * Math.log(0.8))) < 1e-6);
  assert.equal(atChance(1.386, 0.26, b), true);
  assert.equal(atChance(0.6, 0.8, b), false);
  assert.equal(atChance(NaN, null, r), true);
});

const model = (layers: Record<string, unknown>[], loss = 'sparse_categorical_crossentropy', batch = 32) =>
  parseRunConfig({
    data: { dataset: 'teacher' },
    model: layers,
    compile: { optimizer: 'sgd', loss },
    fit: { epochs: 1, batch_size: batch },
  });
const dense = (units: number, activation: string, extra: Record<string, unknown> = {}) => ({
  type: 'Dense',
  units,
  activation,
  ...extra,
});
const codes = (c: ReturnType<typeof model>) =>
  lintConfig(c)
    .filter((f) => f.severity !== 'info')
    .map((f) => f.code);

test('lint: output activation vs loss, softmax in hidden layers, BN after the output or on tiny batches', () => {
  assert.deepEqual(codes(model([dense(16, 'relu', { kernel_initializer: 'he_normal' }), dense(4, 'softmax')])), []);
  assert.ok(codes(model([dense(16, 'relu'), dense(1, 'softmax')], 'binary_crossentropy')).includes('L-OUT-LOSS'));
  assert.ok(codes(model([dense(16, 'relu'), dense(4, 'tanh')])).includes('L-OUT-LOSS'));
  assert.ok(codes(model([dense(16, 'relu'), dense(4, 'relu')])).includes('L-OUT-LOSS'));
  const sigmoid = lintConfig(model([dense(16, 'relu'), dense(4, 'sigmoid')])).find((f) => f.code === 'L-OUT-LOSS');
  assert.equal(sigmoid?.severity, 'warning');
  assert.ok(codes(model([dense(16, 'softmax'), dense(4, 'softmax')])).includes('L-SOFTMAX-HIDDEN'));
  assert.ok(
    codes(model([dense(16, 'relu'), dense(4, 'softmax'), { type: 'BatchNormalization' }])).includes(
      'L-BN-AFTER-OUTPUT',
    ),
  );
  const bn = [dense(16, 'linear'), { type: 'BatchNormalization' }, { type: 'Activation', activation: 'relu' }];
  assert.ok(codes(model([...bn, dense(4, 'softmax')], undefined, 1)).includes('L-BN-TINY-BATCH'));
  assert.ok(!codes(model([...bn, dense(4, 'softmax')], undefined, 16)).includes('L-BN-TINY-BATCH'));
  // Linear output with from_logits is right; linear for regression too.
  const logits = parseRunConfig({
    data: { dataset: 'teacher' },
    model: [dense(16, 'relu', { kernel_initializer: 'he_normal' }), dense(4, 'linear')],
    compile: { optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', from_logits: true },
  });
  assert.deepEqual(codes(logits), []);
});

test('lint: dropout that leaves a few units, and ReLU layers starting with a negative bias', () => {
  const drop = (rate: number, units: number) =>
    model([dense(units, 'relu'), { type: 'Dropout', rate }, dense(4, 'softmax')]);
  assert.ok(codes(drop(0.9, 16)).includes('L-DROPOUT-RATE'));
  assert.ok(codes(drop(0.6, 8)).includes('L-DROPOUT-RATE')); // 3.2 units kept
  assert.ok(!codes(drop(0.2, 128)).includes('L-DROPOUT-RATE'));
  const bias = { bias_initializer: { class_name: 'Constant', config: { value: -1.5 } } };
  const f = lintConfig(model([dense(16, 'relu', bias), dense(16, 'relu', bias), dense(4, 'softmax')])).find(
    (x) => x.code === 'L-BIAS-NEGATIVE',
  );
  assert.equal(f?.kind, 'dying_relu');
  assert.equal(f?.severity, 'error');
});

const finding = (kind: Finding['kind'], source: Finding['source'], ids: Parameters<typeof remedies>): Finding => ({
  kind,
  code: `${source}-${kind}`,
  severity: 'error',
  layers: [],
  source,
  message: `${kind}.`,
  evidence: {},
  remedies: remedies(...ids),
});

test('root cause: the lint finding that names the cause is primary; a larger learning rate contradicts it', () => {
  const lint = finding('dying_relu', 'lint', ['matching_initializer', 'non_saturating_activation']);
  const dead = finding('dying_relu', 'trial', ['non_saturating_activation', 'smaller_learning_rate']);
  const flat = finding('loss_not_decreasing', 'trial', ['larger_learning_rate', 'matching_initializer']);
  const r = rootCause([flat, dead, lint]);
  assert.equal(r.primary, lint);
  assert.deepEqual(
    r.consequences.map((f) => f.code),
    ['trial-loss_not_decreasing', 'trial-dying_relu'],
  );
  assert.ok(!flat.remedies.some((x) => x.id === 'larger_learning_rate'));
  for (const f of [flat, dead]) for (const x of f.remedies) assert.equal(contradicts(x.id, lint), false);
  assert.match(r.text, /^What is wrong: .*\nWhy it stops learning: .*\nChange this first: /s);
  // A too-small learning rate as the primary keeps its own remedy.
  const tiny = finding('loss_not_decreasing', 'trial', ['larger_learning_rate']);
  assert.equal(contradicts('larger_learning_rate', tiny), false);
  assert.equal(contradicts('smaller_learning_rate', tiny), true);
});

test('learning-rate range test: a tenth of the rate at the lowest smoothed loss, read before the blow-up', () => {
  const rates = Array.from({ length: 60 }, (_v, i) => 1e-5 * 10 ** (i / 10));
  // Flat, falling between 1e-3 and 1e-1 (minimum at 1e-1), then blowing up.
  const losses = rates.map((r) => (r < 1e-3 ? 2 : r <= 0.1 ? 2 - 0.8 * Math.log10(r / 1e-3) : 0.4 * (r / 0.1) ** 3));
  const s = suggestRate(rates, losses)!;
  assert.ok(s > 3e-3 && s <= 1e-2, `suggested ${s}`);
  assert.equal(
    suggestRate(
      rates,
      rates.map(() => 1),
    ),
    null,
  ); // never falls
});

test('a repaired config keeps its repeat blocks and says what changed', () => {
  const bias = { bias_initializer: { class_name: 'Constant', config: { value: -1.5 } } };
  const original = parseRunConfig({
    data: { dataset: 'teacher' },
    model: [{ repeat: 6, layers: [dense(32, 'relu', bias)] }, dense(4, 'softmax')],
    compile: {
      optimizer: { class_name: 'SGD', config: { learning_rate: 0.05 } },
      loss: 'sparse_categorical_crossentropy',
    },
  });
  const { config: fixed, applied } = applyRemedies(original, ['non_saturating_activation', 'larger_learning_rate'], {
    learningRate: 0.5,
  });
  const changes = describeChanges(original, fixed);
  assert.ok(changes.includes('bias_initializer constant(-1.5) → zeros in 6 layers'), changes.join('\n'));
  assert.ok(changes.includes('activation relu → leaky_relu in 6 layers'), changes.join('\n'));
  assert.ok(changes.includes('learning_rate 0.05 → 0.5'), changes.join('\n'));
  const doc = sourceWithRepeats(original, fixed, applied);
  const m = doc.model as Record<string, unknown>[];
  assert.equal(m.length, 2);
  assert.equal(m[0]!.repeat, 6);
  assert.match(String(doc.description), /Repaired by keel doctor/);
  // The written document parses back to the repaired layers.
  assert.deepEqual(parseRunConfig(doc).layers.length, fixed.layers.length);
  // BatchNormalization inserted: a repeat of three layers.
  const bn = applyRemedies(original, ['batch_normalization']).config;
  const bnDoc = sourceWithRepeats(original, bn, ['batch_normalization']);
  const first = (bnDoc.model as { repeat?: number; layers?: unknown[] }[])[0]!;
  assert.equal(first.repeat, 6);
  assert.equal(first.layers!.length, 3);
  assert.ok(describeChanges(original, bn).includes('added 6 BatchNormalization'));
});

test('compressRepeats finds the period that covers the most layers', () => {
  const a = { type: 'A' },
    b = { type: 'B' },
    c = { type: 'C' };
  assert.deepEqual(compressRepeats([a, b, a, b, a, b, c]), [{ repeat: 3, layers: [a, b] }, c]);
  assert.deepEqual(compressRepeats([c, a, a]), [c, { repeat: 2, layers: [a] }]);
});

function reluNet() {
  setSeed(3);
  const m = new Sequential([
    new Dense(32, { activation: 'relu', kernelInitializer: 'he_normal', inputShape: [8] }),
    new Dense(3, { activation: 'softmax' }),
  ]);
  m.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
  const n = 64,
    x = new Float32Array(n * 8),
    y = new Float32Array(n);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 1.7) * 1.5;
  for (let i = 0; i < n; i++) y[i] = i % 3;
  return { m, x: new Tensor(x, [n, 8]), y: new Tensor(y, [n]) };
}

test('dead units at batch size 1 are judged over pooled examples, not one row', async () => {
  const { m, x, y } = reluNet();
  const monitor = new GradientMonitor({ every: 1 });
  await m.fit(x, y, { epochs: 1, batchSize: 1, verbose: 0, shuffle: false, callbacks: [monitor] });
  const dead = monitor.history.steps.map((r) => r.layers[0]!.deadFraction);
  // One row: about half of He-initialized ReLU units are off for any single example. Pooled over 16: few.
  assert.ok(dead.at(-1)! < 0.2, `dead fraction at the end ${dead.at(-1)}`);
});

test('GradientMonitor({ verbose }) prints a finding during fit, once', async () => {
  const { m, x, y } = reluNet();
  m.compile({ optimizer: new SGD({ learningRate: 1e6 }), loss: 'sparse_categorical_crossentropy' });
  const lines: string[] = [];
  await m.fit(x, y, {
    epochs: 2,
    batchSize: 16,
    verbose: 0,
    callbacks: [new GradientMonitor({ every: 1, verbose: (l) => lines.push(l) })],
  });
  assert.ok(lines.length >= 1);
  assert.match(lines[0]!, /^error (nan_or_inf|exploding_gradient) at step \d+: .* Fix: /);
  assert.equal(new Set(lines).size, lines.length);
});

test('health.diagnose(model, { x, y }): a mismatched output is the primary cause; the model is untouched', async () => {
  setSeed(5);
  const m = new Sequential([
    new Dense(16, { activation: 'relu', kernelInitializer: 'he_normal', inputShape: [4] }),
    new Dense(3, { activation: 'tanh' }),
  ]);
  m.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'sparse_categorical_crossentropy' });
  const n = 200,
    x = new Float32Array(n * 4),
    y = new Float32Array(n);
  for (let i = 0; i < x.length; i++) x[i] = Math.cos(i * 0.37);
  for (let i = 0; i < n; i++) y[i] = i % 3;
  const before = m.getWeights().map((w) => Array.from(w.data));
  const d = await diagnose(m, { x: new Tensor(x, [n, 4]), y: new Tensor(y, [n]) }, { steps: 20 });
  assert.equal(d.rootCause.primary?.code, 'L-OUT-LOSS');
  assert.deepEqual(
    m.getWeights().map((w) => Array.from(w.data)),
    before,
  );
  await assert.rejects(
    diagnose(m, { x: new Tensor(x, [n, 4]), y: new Tensor(y, [n]) }, { step: 3 } as never),
    /unknown option 'step'\. Did you mean 'steps'\?/,
  );
});
