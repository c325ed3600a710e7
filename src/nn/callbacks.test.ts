/** Callback constructors: options checked through util/args. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EarlyStopping, TerminateOnNaN } from './callbacks.js';

test('EarlyStopping: each option checked, values printed as received', () => {
  assert.throws(
    () => new EarlyStopping({ monitor: 3 as unknown as string }),
    (e: Error) => e.message.startsWith('Invalid monitor for EarlyStopping: expected a string; received 3\nhelp: '),
  );
  assert.throws(
    () => new EarlyStopping({ minDelta: -0.01 }),
    (e: Error) =>
      e.message.startsWith('Invalid minDelta for EarlyStopping: expected a number ≥ 0; received -0.01\nhelp: '),
  );
  assert.throws(() => new EarlyStopping({ minDelta: NaN }), /received NaN\n/);
  assert.throws(
    () => new EarlyStopping({ patience: 2.5 }),
    (e: Error) =>
      e.message.startsWith('Invalid patience for EarlyStopping: expected an integer ≥ 0; received 2.5\nhelp: '),
  );
  assert.throws(() => new EarlyStopping({ patience: -1 }), /received -1\n/);
  assert.throws(() => new EarlyStopping({ patience: Infinity }), /received Infinity\n/);
  assert.throws(() => new EarlyStopping({ mode: 'maximum' as 'max' }), {
    message: "Invalid mode for EarlyStopping: expected one of 'auto', 'min', 'max'; received 'maximum'",
  });
  assert.throws(() => new EarlyStopping({ mode: 'mx' as 'max' }), /received 'mx'\nhelp: did you mean 'max'\?$/);
  assert.throws(() => new EarlyStopping({ baseline: NaN }), {
    message: 'Invalid baseline for EarlyStopping: expected a finite number or null; received NaN',
  });
  assert.throws(() => new EarlyStopping({ restoreBestWeights: 1 as unknown as boolean }), {
    message: 'Invalid restoreBestWeights for EarlyStopping: expected true or false; received 1',
  });
  assert.throws(() => new EarlyStopping({ startFromEpoch: 1.5 }), {
    message: 'Invalid startFromEpoch for EarlyStopping: expected an integer ≥ 0; received 1.5',
  });
});

test('EarlyStopping: snake_case options get the camelCase name; valid options are kept', () => {
  assert.throws(() => new EarlyStopping({ restore_best_weights: true } as object), {
    message:
      "EarlyStopping: unknown option 'restore_best_weights'. Did you mean 'restoreBestWeights'? Known: monitor, " +
      'minDelta, patience, mode, baseline, restoreBestWeights, startFromEpoch',
  });
  assert.throws(() => new EarlyStopping({ min_delta: 0.1 } as object), /Did you mean 'minDelta'\?/);
  assert.throws(() => new EarlyStopping({ patiense: 3 } as object), /Did you mean 'patience'\?/);
  const es = new EarlyStopping({
    monitor: 'val_accuracy',
    minDelta: 0.01,
    patience: 3,
    baseline: null,
    restoreBestWeights: true,
    startFromEpoch: 2,
  });
  assert.deepEqual(
    [es.monitor, es.minDelta, es.patience, es.mode, es.baseline, es.restoreBestWeights, es.startFromEpoch],
    ['val_accuracy', 0.01, 3, 'max', null, true, 2],
  );
});

test('TerminateOnNaN takes no options', () => {
  assert.doesNotThrow(() => new TerminateOnNaN());
  assert.throws(() => new TerminateOnNaN({ monitor: 'loss' } as unknown as Record<string, never>), {
    message: "TerminateOnNaN: unknown option 'monitor'; it takes no options",
  });
});
