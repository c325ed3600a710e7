/**
 * AdamW, Adamax, Adagrad, Adadelta, Lion: options and defaults; weight decay and its exclusions; the
 * learning rate as a schedule (readable as a number, refused as a setter, scaled by NaN rollback);
 * checkpoints of an optimizer with a schedule and Adagrad's non-zero fresh slots.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adadelta, Adagrad, Adam, AdamW, Adamax, Lion, SGD, get, schedules } from './index.js';
import { Variable } from '../../autograd/variable.js';
import { tensor, Tensor } from '../../tensor/tensor.js';
import { Sequential } from '../model.js';
import * as layers from '../layers/index.js';
import { saveCheckpoint, loadCheckpoint } from '../checkpoint/index.js';
import { Random, setSeed } from '../../tensor/rng.js';

type Ctor = new (args?: Record<string, unknown>) => { getConfig(): Record<string, unknown>; slotNames(): string[] };

test('Keras 3 defaults and slot names of the new optimizers', () => {
  const cases: [Ctor, Record<string, unknown>, string[]][] = [
    [
      AdamW as Ctor,
      { learning_rate: 0.001, weight_decay: 0.004, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 },
      ['momentum', 'velocity'],
    ],
    [
      Adamax as Ctor,
      { learning_rate: 0.001, weight_decay: null, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 },
      ['momentum', 'norm'],
    ],
    [Adagrad as Ctor, { learning_rate: 0.001, initial_accumulator_value: 0.1, epsilon: 1e-7 }, ['accumulator']],
    [
      Adadelta as Ctor,
      { learning_rate: 0.001, rho: 0.95, epsilon: 1e-7 },
      ['accumulated_grad', 'accumulated_delta_var'],
    ],
    [Lion as Ctor, { learning_rate: 0.001, beta_1: 0.9, beta_2: 0.99 }, ['momentum']],
  ];
  for (const [C, expected, slots] of cases) {
    const config = new C().getConfig();
    for (const [k, v] of Object.entries(expected)) assert.equal(config[k], v, `${C.name} ${k}`);
    assert.deepEqual(new C().slotNames(), slots, C.name);
  }
  for (const name of [
    'adamw',
    'AdamW',
    'adamax',
    'Adamax',
    'adagrad',
    'Adagrad',
    'adadelta',
    'Adadelta',
    'lion',
    'Lion',
  ])
    assert.equal(get(name).className.toLowerCase(), name.toLowerCase());
  assert.throws(() => get('adamww'), /unknown optimizer 'adamww'. Did you mean /);
});

test('options of the new optimizers are checked with the shared messages', () => {
  assert.throws(() => new AdamW({ weightDecay: null as never }), {
    message:
      'Invalid weightDecay for AdamW: expected a number ≥ 0; received null\nhelp: AdamW needs a weight decay ' +
      '(Keras default 0.004); for none, use Adam.',
  });
  assert.throws(() => get({ class_name: 'AdamW', config: { weight_decay: null } }), /Invalid weightDecay for AdamW/);
  assert.throws(
    () => new AdamW({ weight_decay: 0.1 } as never),
    /AdamW: unknown option 'weight_decay'. Did you mean 'weightDecay'\?/,
  );
  assert.throws(
    () => new Adam({ weightDecay: -1 }),
    /Invalid weightDecay for Adam: expected a number ≥ 0 or null; received -1\n/,
  );
  assert.throws(() => new Lion({ beta1: 0 }), /Invalid beta1 for Lion: expected a number in \(0, 1\]; received 0\n/);
  assert.throws(() => new Lion({ beta2: 1 }), /Invalid beta2 for Lion: expected a number in \[0, 1\); received 1/);
  assert.throws(() => new Adamax({ beta_2: 0.9 } as never), /Adamax: unknown option 'beta_2'. Did you mean 'beta2'\?/);
  assert.throws(() => new Adamax({ epsilon: 0 }), /Invalid epsilon for Adamax: expected a number > 0; received 0/);
  assert.throws(
    () => new Adagrad({ initialAccumulatorValue: -0.1 }),
    /Invalid initialAccumulatorValue for Adagrad: expected a number ≥ 0; received -0.1\n/,
  );
  assert.throws(
    () => new Adagrad({ initial_accumulator_value: 0 } as never),
    /Did you mean 'initialAccumulatorValue'\?/,
  );
  assert.throws(() => new Adadelta({ rho: 1 }), /Invalid rho for Adadelta: expected a number in \[0, 1\); received 1/);
  assert.throws(() => new Adadelta({ clipnorm: 1, clipvalue: 1 }), /Adadelta: set at most one of clipnorm/);
});

test('weight decay: θ ← θ − θ·wd·lr before the update, on non-excluded variables only', () => {
  const kernel = new Variable(tensor([1, -2]), { name: 'dense/kernel' });
  const bias = new Variable(tensor([4]), { name: 'dense/bias' });
  const opt = new SGD({ learningRate: 0.5, weightDecay: 0.1 });
  opt.apply([tensor([0, 0]), tensor([0])], [kernel, bias]);
  assert.deepEqual([...kernel.data, ...bias.data], [0.949999988079071, -1.899999976158142, 3.799999952316284]);
  opt.excludeFromWeightDecay(null, ['bias']);
  opt.apply([tensor([0, 0]), tensor([0])], [kernel, bias]);
  assert.equal(bias.data[0], Math.fround(3.8));
  opt.excludeFromWeightDecay([kernel]);
  assert.equal(opt.usesWeightDecay(kernel), false);
  assert.equal(opt.usesWeightDecay(bias), true, 'each call replaces the exclusions (Keras)');
  assert.throws(
    () => opt.excludeFromWeightDecay(null, 'bias' as never),
    /Invalid varNames for SGD.excludeFromWeightDecay: expected an array of non-empty strings or null; received 'bias'$/,
  );
  assert.throws(() => opt.excludeFromWeightDecay([1] as never), /Invalid varList for SGD.excludeFromWeightDecay/);
});

const decay = (): schedules.ExponentialDecay =>
  new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 });

test('a schedule as learningRate: the rate of the next step, not settable, scalable, in the config', () => {
  const opt = new Adam({ learningRate: decay() });
  const v = new Variable(tensor([1]), { name: 'v' });
  assert.equal(opt.learningRate, 0.1);
  opt.apply([tensor([1])], [v]);
  opt.apply([tensor([1])], [v]);
  assert.equal(opt.learningRate, 0.05, 'step 2 of ExponentialDecay(0.1, 2, 0.5)');
  assert.throws(
    () => {
      opt.learningRate = 0.01;
    },
    {
      message:
        'Adam: the learning rate is a schedule (ExponentialDecay), so it cannot be set to 0.01\nhelp: scale the ' +
        'schedule with learningRateScale (NaN rollback halves it), or create the optimizer with a number as ' +
        'learningRate.',
    },
  );
  opt.learningRateScale = 0.5;
  assert.equal(opt.learningRate, 0.025);
  assert.throws(() => {
    opt.learningRateScale = 0;
  }, /Invalid learningRateScale for Adam: expected a number > 0; received 0/);
  assert.throws(() => {
    new SGD().learningRateScale = 0.5;
  }, /SGD: learningRateScale applies to a learning-rate schedule; this optimizer's rate is the number 0.01/);
  assert.deepEqual(opt.getConfig().learning_rate, schedules.serialize(decay()));
  const again = get({ class_name: 'Adam', config: opt.getConfig() });
  assert.ok(again.learningRateSchedule instanceof schedules.ExponentialDecay);
  assert.equal(again.learningRate, 0.1, 'a new optimizer starts at step 0');
  const plain = new SGD({ learningRate: 0.1 });
  plain.learningRate = 0.2;
  assert.equal(plain.learningRate, 0.2);
  assert.throws(() => {
    plain.learningRate = NaN;
  }, /Invalid learningRate for SGD: expected a number > 0; received NaN/);
});

function tinyModel(): Sequential {
  return new Sequential([new layers.Dense(2, { inputShape: [3], name: 'h' }), new layers.Dense(1, { name: 'o' })]);
}

function data(seed: number): { x: Tensor; y: Tensor } {
  const rng = new Random(seed);
  const x = new Float32Array(32 * 3).map(() => rng.normal());
  const y = new Float32Array(32).map((_v, i) => x[i * 3]! - x[i * 3 + 2]!);
  return { x: new Tensor(x, [32, 3]), y: new Tensor(y, [32, 1]) };
}

test('checkpoints: a scheduled Adagrad resumes at its step and scale; missing slots load fresh (0.1)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-schedule-ckpt-'));
  try {
    setSeed(3);
    const model = tinyModel();
    const optimizer = new Adagrad({ learningRate: decay() });
    model.compile({ optimizer, loss: 'mse' });
    const { x, y } = data(4);
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    optimizer.learningRateScale = 0.25;
    // One variable the optimizer never touched: its slots are missing from the checkpoint.
    const before = optimizer.getSlots(model.trainableWeights[0]!)!;
    await saveCheckpoint(dir, { model });
    setSeed(3);
    const copy = tinyModel();
    const restored = new Adagrad({ learningRate: decay() });
    copy.compile({ optimizer: restored, loss: 'mse' });
    await loadCheckpoint(dir, copy);
    assert.equal(restored.iterations, 4);
    assert.equal(restored.learningRateScale, 0.25);
    assert.equal(restored.learningRate, optimizer.learningRate);
    assert.deepEqual(restored.getSlots(copy.trainableWeights[0]!), before);
    assert.deepEqual(restored.freshSlots(copy.trainableWeights[0]!)[0]![0], Math.fround(0.1));
    const fresh = new Variable(tensor([0, 0]), { name: 'fresh' });
    assert.deepEqual([...restored.freshSlots(fresh)[0]!], [Math.fround(0.1), Math.fround(0.1)]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('NaN rollback with a schedule halves the schedule (learningRateScale), keeping its shape', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-schedule-rollback-'));
  try {
    setSeed(1);
    const model = new Sequential([
      new layers.Dense(8, { inputShape: [4], name: 'h1' }),
      new layers.Dense(1, { name: 'h2' }),
    ]);
    const schedule = new schedules.ExponentialDecay({ initialLearningRate: 0.5, decaySteps: 1000, decayRate: 0.9 });
    const optimizer = new SGD({ learningRate: schedule });
    model.compile({ optimizer, loss: 'mse' });
    const rng = new Random(3);
    const x = new Float32Array(256 * 4).map(() => 3 * rng.normal());
    const y = new Float32Array(256).map((_v, i) => x[i * 4]! * -1.5 + x[i * 4 + 3]! * 1.5);
    const history = await model.fit(new Tensor(x, [256, 4]), new Tensor(y, [256, 1]), {
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
    assert.equal(optimizer.learningRateScale, 0.5 ** history.rollbacks.length);
    assert.equal(optimizer.learningRateSchedule, schedule);
    assert.ok(
      Math.abs(optimizer.learningRate - optimizer.learningRateScale * schedule.call(optimizer.iterations)) < 1e-15,
    );
    assert.ok(model.weights.every((w) => w.data.every(Number.isFinite)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('use_ema: fit ends with the moving averages as weights; the averages travel in checkpoints', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-ema-ckpt-'));
  try {
    setSeed(5);
    const model = tinyModel();
    const optimizer = new SGD({ learningRate: 0.1, momentum: 0.9, useEma: true, emaMomentum: 0.9 });
    assert.deepEqual(optimizer.slotNames(), ['momentum', 'average']);
    assert.equal(optimizer.getConfig().use_ema, true);
    model.compile({ optimizer, loss: 'mse' });
    const { x, y } = data(4);
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    for (const v of model.trainableWeights) assert.deepEqual(v.data, optimizer.getSlots(v)!.at(-1));
    await saveCheckpoint(dir, { model });
    setSeed(5);
    const copy = tinyModel();
    const restored = new SGD({ learningRate: 0.1, momentum: 0.9, useEma: true, emaMomentum: 0.9 });
    copy.compile({ optimizer: restored, loss: 'mse' });
    await loadCheckpoint(dir, copy);
    copy.trainableWeights.forEach((v, i) =>
      assert.deepEqual(restored.getSlots(v)!.at(-1), optimizer.getSlots(model.trainableWeights[i]!)!.at(-1)),
    );
    assert.throws(() => new SGD({ emaOverwriteFrequency: 0 }), /emaOverwriteFrequency/);
    assert.throws(() => new SGD({ emaMomentum: 1.5 }), /emaMomentum/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
