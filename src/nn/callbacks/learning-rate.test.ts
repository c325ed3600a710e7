/**
 * ReduceLROnPlateau and LearningRateScheduler against Keras 3's rules (reduce_lr_on_plateau.py,
 * learning_rate_scheduler.py).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReduceLROnPlateau, LearningRateScheduler, type Logs } from '../callbacks.js';
import { Sequential, layers, setSeed, tensor } from '../../index.js';
import { SGD } from '../optimizers/index.js';

/** A stand-in model: what the callbacks use (stopTraining, weights, the compiled optimizer). */
function fakeModel(learningRate: unknown = 1): {
  stopTraining: boolean;
  compiled: { optimizer: { learningRate: unknown } };
} & {
  getWeights(): never[];
  setWeights(): void;
} {
  return {
    stopTraining: false,
    compiled: { optimizer: { learningRate } },
    getWeights: () => [],
    setWeights: () => {},
  };
}

/** Feeds `values` as the monitored metric, one epoch each; returns the logged rate and the rate after each epoch. */
function drive(cb: ReduceLROnPlateau, values: number[], monitor = 'val_loss'): { logged: number[]; after: number[] } {
  const model = fakeModel(1);
  cb.setModel(model);
  cb.onTrainBegin();
  const logged: number[] = [],
    after: number[] = [];
  values.forEach((v, epoch) => {
    const logs: Logs = { [monitor]: v };
    cb.onEpochEnd(epoch, logs);
    logged.push(logs.learning_rate!);
    after.push(model.compiled.optimizer.learningRate as number);
  });
  return { logged, after };
}

test('ReduceLROnPlateau: reduces after patience epochs without an improvement > minDelta; never below minLr', () => {
  const cb = new ReduceLROnPlateau({ factor: 0.5, patience: 2, cooldown: 1, minLr: 0.2, minDelta: 0.1 });
  // 0.95 is not an improvement on 1.0 (needs < 0.9); 0.7 is.
  const { logged, after } = drive(cb, [1.0, 0.95, 0.95, 0.95, 0.95, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]);
  assert.deepEqual(after, [1, 1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2]);
  // The log holds the rate the epoch trained with (logged before any reduction), as Keras.
  assert.deepEqual(logged, [1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2]);
  // At minLr it stops reducing and, as in Keras, keeps counting (wait is only reset by a reduction).
  assert.deepEqual(cb.getState(), { wait: 3, cooldownCounter: 0, best: 0.7 });
});

test('ReduceLROnPlateau: waits cooldown epochs after a reduction before counting again', () => {
  const cb = new ReduceLROnPlateau({ factor: 0.5, patience: 1, cooldown: 2 });
  const { after } = drive(cb, [1, 1, 1, 1, 1, 1, 1]);
  // Reductions at epochs 1, 3, 5: each is followed by one epoch in cooldown, then one counted epoch.
  assert.deepEqual(after, [1, 0.5, 0.5, 0.25, 0.25, 0.125, 0.125]);
});

test('ReduceLROnPlateau: mode max (auto for accuracy), improvements reset the count', () => {
  const cb = new ReduceLROnPlateau({ monitor: 'val_accuracy', factor: 0.1, patience: 2, minDelta: 0 });
  assert.equal(cb.mode, 'max');
  const { after } = drive(cb, [0.5, 0.6, 0.6, 0.7, 0.7, 0.65], 'val_accuracy');
  assert.deepEqual(
    after.map((v) => Number(v.toPrecision(6))),
    [1, 1, 1, 1, 1, 0.1],
  );
});

test('ReduceLROnPlateau: defaults, options checked with did-you-mean, state round trip', () => {
  const cb = new ReduceLROnPlateau();
  assert.deepEqual(
    [cb.monitor, cb.factor, cb.patience, cb.mode, cb.minDelta, cb.cooldown, cb.minLr, cb.verbose],
    ['val_loss', 0.1, 10, 'min', 1e-4, 0, 0, 0],
  );
  assert.throws(
    () => new ReduceLROnPlateau({ min_lr: 0.1 } as object),
    /unknown option 'min_lr'. Did you mean 'minLr'\?/,
  );
  assert.throws(
    () => new ReduceLROnPlateau({ factor: 1 }),
    /Invalid factor for ReduceLROnPlateau: expected a number in \(0, 1\); received 1\nhelp: /,
  );
  assert.throws(() => new ReduceLROnPlateau({ patience: 1.5 }), /Invalid patience/);
  assert.throws(() => new ReduceLROnPlateau({ mode: 'mn' as 'min' }), /did you mean 'min'\?/);
  const other = new ReduceLROnPlateau({ patience: 1 });
  other.validateState({ wait: 1, cooldownCounter: 2, best: 0.5 }, 'here');
  other.setState({ wait: 1, cooldownCounter: 2, best: 0.5 });
  assert.deepEqual(other.getState(), { wait: 1, cooldownCounter: 2, best: 0.5 });
  assert.throws(
    () => other.validateState({ wait: -1, cooldownCounter: 0, best: null }, 'ckpt'),
    /^Error: ckpt wait: expected a non-negative integer; received -1$/,
  );
  assert.throws(() => other.validateState(null, 'ckpt'), /ckpt: expected \{wait, cooldownCounter, best\}/);
});

test('ReduceLROnPlateau and LearningRateScheduler refuse an optimizer whose learning rate is a schedule', () => {
  const schedule = { call: (step: number) => 0.1 / (1 + step) };
  for (const cb of [new ReduceLROnPlateau(), new LearningRateScheduler((_e, lr) => lr)]) {
    cb.setModel(fakeModel(schedule));
    assert.throws(() => cb.onTrainBegin(), /This optimizer was created with a LearningRateSchedule/);
    // Keel's optimizers: a number read from the schedule, with learningRateSchedule set.
    const model = fakeModel(0.1);
    (model.compiled.optimizer as { learningRateSchedule?: unknown }).learningRateSchedule = schedule;
    cb.setModel(model);
    assert.throws(() => cb.onTrainBegin(), /This optimizer was created with a LearningRateSchedule/);
  }
});

test('LearningRateScheduler: sets the rate at each epoch begin from (epoch, lr); logs learning_rate', async () => {
  setSeed(1);
  const model = new Sequential([new layers.Dense(1, { inputShape: [2] })]);
  const optimizer = new SGD({ learningRate: 0.1 });
  model.compile({ optimizer, loss: 'mse' });
  const x = tensor([0, 1, 1, 0, 1, 1, 0, 0], [4, 2]),
    y = tensor([1, 1, 2, 0], [4, 1]);
  const seen: [number, number][] = [];
  const cb = new LearningRateScheduler((epoch, lr) => {
    seen.push([epoch, lr]);
    return epoch < 2 ? lr : lr * 0.5;
  });
  const history = await model.fit(x, y, { epochs: 4, batchSize: 2, verbose: 0, callbacks: [cb] });
  assert.deepEqual(seen, [
    [0, 0.1],
    [1, 0.1],
    [2, 0.1],
    [3, 0.05],
  ]);
  assert.deepEqual(history.history.learning_rate, [0.1, 0.1, 0.05, 0.025]);
  assert.equal(optimizer.learningRate, 0.025);
  // Checked arguments and outputs.
  assert.throws(() => new LearningRateScheduler(0.1 as unknown as () => number), /schedule must be a function/);
  assert.throws(() => new LearningRateScheduler((_e, lr) => lr, { verbos: 1 } as object), /Did you mean 'verbose'\?/);
  const bad = new LearningRateScheduler(() => NaN);
  bad.setModel(fakeModel(0.1));
  bad.onTrainBegin();
  assert.throws(
    () => bad.onEpochBegin(0),
    /the schedule's output at epoch 0\) for LearningRateScheduler: expected a number ≥ 0; received NaN/,
  );
});

test('ReduceLROnPlateau in fit: the reduced rate is used and logged in the history', async () => {
  setSeed(2);
  const model = new Sequential([new layers.Dense(1, { inputShape: [2] })]);
  const optimizer = new SGD({ learningRate: 0.01 });
  model.compile({ optimizer, loss: 'mse' });
  const x = tensor([0, 1, 1, 0, 1, 1, 0, 0], [4, 2]),
    y = tensor([1, 1, 2, 0], [4, 1]);
  // minDelta 10: no epoch counts as an improvement after the first, so it reduces every 2 epochs.
  const cb = new ReduceLROnPlateau({ monitor: 'loss', patience: 2, factor: 0.5, minDelta: 10 });
  const history = await model.fit(x, y, { epochs: 6, batchSize: 4, verbose: 0, callbacks: [cb] });
  assert.deepEqual(history.history.learning_rate, [0.01, 0.01, 0.01, 0.005, 0.005, 0.0025]);
  assert.equal(optimizer.learningRate, 0.0025);
});
