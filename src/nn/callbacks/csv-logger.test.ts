/** CSVLogger (Keras csv_logger.py) and LambdaCallback (lambda_callback.py). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSVLogger, LambdaCallback, EarlyStopping } from '../callbacks.js';
import { Sequential, layers, setSeed, tensor } from '../../index.js';

function smallRun(): { model: Sequential; x: ReturnType<typeof tensor>; y: ReturnType<typeof tensor> } {
  setSeed(3);
  const model = new Sequential([new layers.Dense(1, { inputShape: [2] })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  return { model, x: tensor([0, 1, 1, 0, 1, 1, 0, 0, 2, 1], [5, 2]), y: tensor([1, 1, 2, 0, 3], [5, 1]) };
}

test('CSVLogger: one row per epoch, sorted keys, epoch from 0; val_ columns NA without validation', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-csv-'));
  try {
    const file = join(dir, 'log.csv');
    const { model, x, y } = smallRun();
    const history = await model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0, callbacks: [new CSVLogger(file)] });
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.pop(), '');
    assert.deepEqual(lines[0], 'epoch,loss,val_loss');
    assert.deepEqual(
      lines.slice(1),
      history.history.loss!.map((l, i) => `${i},${l},NA`),
    );
    // validation: val_ keys found, none added; a custom separator; append continues without a header.
    const run2 = smallRun();
    const file2 = join(dir, 'log2.tsv');
    await run2.model.fit(run2.x, run2.y, {
      epochs: 2,
      batchSize: 2,
      verbose: 0,
      validationSplit: 0.4,
      callbacks: [new CSVLogger(file2, { separator: '\t' })],
    });
    await run2.model.fit(run2.x, run2.y, {
      epochs: 4,
      initialEpoch: 2,
      batchSize: 2,
      verbose: 0,
      validationSplit: 0.4,
      callbacks: [new CSVLogger(file2, { separator: '\t', append: true })],
    });
    const rows = readFileSync(file2, 'utf8').trimEnd().split('\n');
    assert.equal(rows[0], 'epoch\tloss\tval_loss');
    assert.deepEqual(
      rows.slice(1).map((r) => r.split('\t')[0]),
      ['0', '1', '2', '3'],
    );
    // Overwrite (append false) starts the file again.
    await run2.model.fit(run2.x, run2.y, {
      epochs: 1,
      verbose: 0,
      callbacks: [new CSVLogger(file2, { separator: '\t' })],
    });
    assert.equal(readFileSync(file2, 'utf8').trimEnd().split('\n').length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CSVLogger: appending after a crash mid-row drops the partial row; the existing header is kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-csv-'));
  try {
    const file = join(dir, 'log.csv');
    writeFileSync(file, 'epoch,loss,val_loss\n0,0.5,NA\n1,0.4');
    const { model, x, y } = smallRun();
    await model.fit(x, y, {
      epochs: 2,
      initialEpoch: 1,
      verbose: 0,
      callbacks: [new CSVLogger(file, { append: true })],
    });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[1], '0,0.5,NA');
    assert.match(lines[2]!, /^1,[0-9.e-]+,NA$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CSVLogger: options checked', () => {
  assert.throws(() => new CSVLogger(''), /CSVLogger: filename must be a non-empty path/);
  assert.throws(() => new CSVLogger('a.csv', { seperator: ';' } as object), /Did you mean 'separator'\?/);
  assert.throws(() => new CSVLogger('a.csv', { append: 'yes' as unknown as boolean }), /Invalid append for CSVLogger/);
  assert.throws(() => new CSVLogger('a.csv', { separator: '' }), /Invalid separator for CSVLogger/);
});

test('LambdaCallback: each function is called at its event, in fit order', async () => {
  const events: string[] = [];
  const cb = new LambdaCallback({
    onTrainBegin: () => void events.push('trainBegin'),
    onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
    onBatchBegin: (b) => void events.push(`batchBegin ${b}`),
    onBatchEnd: (b, logs) => void events.push(`batchEnd ${b} ${typeof logs?.loss}`),
    onEpochEnd: (e, logs) => void events.push(`epochEnd ${e} ${typeof logs?.loss}`),
    onTrainEnd: () => void events.push('trainEnd'),
  });
  const { model, x, y } = smallRun();
  await model.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0, callbacks: [cb] });
  assert.deepEqual(events, [
    'trainBegin',
    'epochBegin 0',
    'batchBegin 0',
    'batchEnd 0 number',
    'batchBegin 1',
    'batchEnd 1 number',
    'epochEnd 0 number',
    'epochBegin 1',
    'batchBegin 0',
    'batchEnd 0 number',
    'batchBegin 1',
    'batchEnd 1 number',
    'epochEnd 1 number',
    'trainEnd',
  ]);
  assert.throws(() => new LambdaCallback({ on_epoch_end: () => {} } as object), /Did you mean 'onEpochEnd'\?/);
  assert.throws(
    () => new LambdaCallback({ onEpochEnd: 3 as unknown as () => void }),
    /Invalid onEpochEnd for LambdaCallback: expected a function; received 3/,
  );
  assert.doesNotThrow(() => new LambdaCallback());
});

test('EarlyStopping (Keras 3): stops after patience epochs without improvement; best weights at the end', async () => {
  const { model, x, y } = smallRun();
  const losses = [1, 0.5, 0.6, 0.7, 0.4];
  const weightsAt: number[] = [];
  const es = new EarlyStopping({ monitor: 'fake', patience: 2, restoreBestWeights: true });
  const feed = new LambdaCallback({
    onEpochEnd: (epoch, logs) => {
      logs!.fake = losses[epoch]!;
      weightsAt.push(model.getWeights()[0]!.data[0]!);
    },
  });
  const history = await model.fit(x, y, { epochs: 5, verbose: 0, callbacks: [feed, es] });
  assert.deepEqual(history.epoch, [0, 1, 2, 3]);
  assert.equal(es.stoppedEpoch, 3);
  assert.equal(es.bestEpoch, 1);
  assert.equal(model.getWeights()[0]!.data[0], weightsAt[1]);
  const state = es.getState();
  assert.equal(state.wait, 2);
  assert.equal(state.best, 0.5);
  // Best weights are restored at train end even when training was not stopped (Keras 3).
  const run = smallRun();
  const es2 = new EarlyStopping({ monitor: 'loss', patience: 50, restoreBestWeights: true });
  const h2 = await run.model.fit(run.x, run.y, { epochs: 3, verbose: 0, callbacks: [es2] });
  assert.equal(h2.epoch.length, 3);
  assert.equal(es2.stoppedEpoch, 0);
  assert.throws(
    () => es2.validateState({ ...es2.getState(), bestWeights: [{ data: new Float32Array(1), shape: [1] }] }, 'ckpt'),
    /^Error: ckpt bestWeights: expected 2 weights with the model's shapes, or null/,
  );
});
