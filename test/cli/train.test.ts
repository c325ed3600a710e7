/** `keel train` end to end on a small limit: progress, history, weights, summary. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const example = JSON.parse(readFileSync('examples/fashion-bn-elu.json', 'utf8'));

function keel(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
}

test('keel train runs the example config (small limit) and writes history, model and summary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-train-'));
  const config = {
    ...example,
    data: { ...example.data, limit: 500, test_limit: 200 },
    model: [{ repeat: 3, layers: example.model[0].layers }, example.model[1]],
  };
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(config));
  const out = join(dir, 'out');
  const r = keel(['train', path, '--epochs', '2', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Epoch 1\/2/);
  assert.match(r.stdout, /Epoch 2\/2/);
  assert.match(r.stdout, /val_accuracy/);
  assert.match(r.stdout, /Test: loss [\d.]+, accuracy [\d.]+%/);
  const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
  assert.equal(history.history.loss.length, 2);
  assert.ok(history.history.loss[1] < history.history.loss[0], 'training loss falls over two epochs');
  assert.ok(existsSync(join(out, 'summary.txt')));
  assert.ok(
    readdirSync(out).some((f) => f === 'model'),
    'the trained weights are written',
  );
});

test('keel train: a typo in the config is an error with a suggestion, before any data is loaded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-train-'));
  const bad = structuredClone(example);
  bad.model[0].layers[0].kernel_initializer = 'he_normall';
  const path = join(dir, 'bad.json');
  writeFileSync(path, JSON.stringify(bad));
  const r = keel(['train', path]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /he_normall/);
  assert.match(r.stderr, /Did you mean 'he_normal'\?/);
});

test('keel --help lists the commands; each command has --help', () => {
  const r = keel(['--help']);
  assert.equal(r.status, 0);
  for (const c of ['train', 'summary', 'demo', 'doctor', 'lab', 'experiment']) {
    assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
    const h = keel([c, '--help']);
    assert.equal(h.status, 0);
    assert.match(h.stdout, /Usage: keel/);
  }
});

test('keel train --checkpoint then --resume continues from the saved epoch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-'));
  const config = {
    seed: 3,
    data: { dataset: 'spirals', n: 300 },
    model: [
      { type: 'Dense', units: 16, activation: 'relu', kernel_initializer: 'he_normal' },
      { type: 'Dense', units: 3, activation: 'softmax' },
    ],
    compile: {
      optimizer: { class_name: 'Adam', config: { learning_rate: 0.01 } },
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    },
    fit: { epochs: 2, batch_size: 32 },
  };
  const path = join(dir, 'spirals.json');
  writeFileSync(path, JSON.stringify(config));
  const ckpt = join(dir, 'ckpt');
  const first = keel(['train', path, '--out', join(dir, 'a'), '--checkpoint', ckpt]);
  assert.equal(first.status, 0, first.stderr);
  assert.ok(existsSync(ckpt), 'the checkpoint folder is written');
  const second = keel(['train', path, '--out', join(dir, 'b'), '--checkpoint', ckpt, '--resume', '--epochs', '4']);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /Resuming from .*: epoch 3/);
  const history = JSON.parse(readFileSync(join(dir, 'b', 'history.json'), 'utf8'));
  assert.deepEqual(history.epoch, [0, 1, 2, 3], 'the history carries on from the checkpoint');
  assert.doesNotMatch(second.stdout, /Epoch 1\/4/, 'finished epochs are not run again');
  assert.match(second.stdout, /Epoch 4\/4/);
  const noCheckpoint = keel(['train', path, '--resume']);
  assert.notEqual(noCheckpoint.status, 0);
  assert.match(noCheckpoint.stderr, /--resume needs --checkpoint/);
});
