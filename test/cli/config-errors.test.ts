/**
 * Run configs: every invalid value is refused with a message naming the key (issue 19, defects 8, 9 and 12):
 * no engine error (TypeError/RangeError text), no silently ignored or misread value, a UTF-8 BOM accepted, and
 * `keel summary` refuses what `keel train` refuses — without allocating the model's weights.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunConfig, buildModel, loadRunData, planModel } from '../../src/run-config/index.js';

const base = () => ({
  seed: 1,
  data: { dataset: 'spirals', n: 100 },
  model: [
    { type: 'Dense', units: 8, activation: 'relu' },
    { type: 'Dense', units: 3, activation: 'softmax' },
  ],
  compile: { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
  fit: { epochs: 1, batch_size: 16 },
});

function refuse(mutate: (c: any) => void, pattern: RegExp): void {
  const c: any = base();
  mutate(c);
  assert.throws(
    () => {
      const config = parseRunConfig(c);
      const data = loadRunData(config);
      buildModel(config, data.inputShape);
    },
    (e: Error) => {
      assert.equal(e.constructor, Error, `${e.name}: ${e.message}`);
      assert.doesNotMatch(e.message, /is not a function|is not iterable|Maximum call stack|\.slice/);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

test('engine errors become messages naming the key', () => {
  refuse((c) => (c.model[0].name = 5), /name/);
  refuse((c) => (c.compile.metrics = false), /Invalid metrics .*received false/);
  refuse((c) => (c.compile.metrics = ''), /Invalid metrics/);
  refuse((c) => {
    let deep: unknown = 'relu';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    c.model[0].activation = deep;
  }, /deeper than 200 levels/);
  refuse(
    (c) =>
      (c.model = {
        class_name: 'Sequential',
        config: { layers: [{ class_name: 'InputLayer', config: { batch_shape: 2 } }, ...base().model.map(kerasOf)] },
      }),
    /batch_shape must be a list/,
  );
  refuse((c) => (c.data.seed = { a: 1 }), /Invalid seed in config data/);
});

function kerasOf(l: Record<string, unknown>): Record<string, unknown> {
  const { type, ...config } = l;
  return { class_name: type, config };
}

test('invalid values are refused, not ignored or misread', () => {
  refuse(
    (c) => (c.compile.optimizer = { class_name: 'SGD', confg: { learning_rate: 1e6 } }),
    /unknown key 'confg'.*Did you mean 'config'/,
  );
  refuse((c) => (c.compile.optimizer = { class_name: 'SGD', config: 'fast' }), /'config' must be an object/);
  refuse((c) => (c.model = base().model.map(kerasOf)).forEach((l: any) => (l.config = [1])), /must be an object/);
  refuse((c) => (c.compile.from_logits = 'no'), /Invalid from_logits .*expected true or false; received 'no'/);
  refuse((c) => (c.fit.shuffle = 'no'), /Invalid shuffle .*received 'no'/);
  refuse((c) => (c.model[0].use_bias = {}), /use_?[bB]ias.*expected true or false/);
  refuse((c) => (c.data.test_csv = false), /test_csv/);
  // data.limit applies to generated sets too.
  const c: any = base();
  c.data.limit = 30;
  const data = loadRunData(parseRunConfig(c));
  assert.equal(data.x.shape[0], 30);
});

test('a UTF-8 BOM is accepted; summary refuses what train refuses, and plans without allocating', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-config-'));
  try {
    const path = join(dir, 'bom.json');
    writeFileSync(path, `\uFEFF${JSON.stringify(base())}`);
    assert.equal(parseRunConfig(path).fit.batch_size, 16);
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, JSON.stringify({ ...base(), model: { class_name: 'Sequential', config: { layers: [] } } }));
    for (const command of ['summary', 'train']) {
      const r = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', command, empty, ...(command === 'train' ? ['--out', dir] : [])],
        { encoding: 'utf8' },
      );
      assert.equal(r.status, 1, `${command}: ${r.stdout}`);
      assert.match(r.stderr, /has no layers/, command);
    }
    // 1e8 units: refused by the parameter budget before any weight exists, in summary and train alike.
    const huge: any = base();
    huge.model[0].units = 1e8;
    const config = parseRunConfig(huge);
    assert.throws(() => planModel(config, [2]), /more than 67,108,864 parameters/);
    assert.throws(() => buildModel(config, [2]), /more than 67,108,864 parameters/);
    // A large but allowed model is planned (its table printed) without building it.
    huge.model[0].units = 1_000_000;
    const planned = planModel(parseRunConfig(huge), [2]);
    assert.equal(planned.plan.trainable, 2 * 1e6 + 1e6 + 1e6 * 3 + 3);
    assert.match(planned.text, /Total params: 6,000,003/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
