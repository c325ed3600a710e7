/**
 * `keel train` checks what it can before training, and never throws a trained model away (issue 19, defects 3, 5
 * and 12): test_csv columns are matched by header; labels the model cannot output, a class only in the test
 * split and an unwritable --out are reported before the first epoch, naming the CSV line; when writing the
 * results fails after training they are written elsewhere and the error says where; write errors name the file;
 * fitStandardizer names the file and line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadData } from '../../src/run-config/index.js';
import { namingFile } from '../../src/io/write-atomic.js';
import { writeFileAtomic } from '../../src/nn/serialization/atomic.js';
import { csvToDataset, fitStandardizer } from '../../src/data/index.js';

/** `keel train ...` in a child process: its exit status, stdout and stderr. */
function keelTrain(config: string, ...args: string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'train', config, ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}
const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

function csv(rows: number[][], header: string[]): string {
  return `${header.join(',')}\n${rows.map((r) => r.join(',')).join('\n')}\n`;
}

/** n rows of (a, b, label): label 1 when a > b. */
function rowsAB(n: number, seed: number): number[][] {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 4 - 2;
  return Array.from({ length: n }, () => {
    const a = Number(next().toFixed(3)),
      b = Number(next().toFixed(3));
    return [a, b, a > b ? 1 : 0];
  });
}

function writeConfig(dir: string, data: Record<string, unknown>, units = 2, epochs = 2): string {
  const path = join(dir, 'config.json');
  writeFileSync(
    path,
    JSON.stringify({
      seed: 1,
      data,
      model: [
        { type: 'Dense', units: 8, activation: 'relu' },
        { type: 'Dense', units, activation: 'softmax' },
      ],
      compile: { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
      fit: { epochs, batch_size: 16 },
    }),
  );
  return path;
}

test('test_csv columns are matched by header, not by position', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-csv-'));
  try {
    writeFileSync(join(dir, 'train.csv'), csv(rowsAB(40, 1), ['a', 'b', 'label']));
    writeFileSync(join(dir, 'test.csv'), 'b,a,label\n5,-7,0\n2,3,1\n');
    const data = loadData({ csv: 'train.csv', test_csv: 'test.csv', label_column: 'label' }, dir);
    assert.deepEqual(Array.from(data.xTest.data), [-7, 5, 3, 2], 'features in the training order (a, b)');
    writeFileSync(join(dir, 'test.csv'), 'a,c,label\n5,-7,0\n');
    assert.throws(
      () => loadData({ csv: 'train.csv', test_csv: 'test.csv', label_column: 'label' }, dir),
      /test\.csv, line 1, column "b": no feature column named "b"/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a CSV file over the size limit is refused before it is read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-csv-big-'));
  try {
    writeFileSync(join(dir, 'big.csv'), 'a,label\n');
    truncateSync(join(dir, 'big.csv'), 400 * 2 ** 20); // sparse: no disk used, and never read
    assert.throws(
      () => loadData({ csv: 'big.csv', label_column: 'label' }, dir),
      /big\.csv: the file is 400 MiB; Keel reads CSV files up to 128 MiB/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a label the output layer cannot give is reported before training, with its CSV line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-labels-'));
  try {
    const rows = rowsAB(60, 2);
    rows[7]![2] = 3; // CSV line 9 (header on line 1)
    writeFileSync(join(dir, 'train.csv'), csv(rows, ['a', 'b', 'label']));
    const config = writeConfig(dir, { csv: 'train.csv', label_column: 'label', test_fraction: 0.25 }, 3);
    const r = keelTrain(config, '--out', join(dir, 'out'));
    assert.equal(r.status, 1);
    assert.match(r.err, /train\.csv line 9 .*label 3 is not a class id of the model's 3 output units/);
    assert.match(r.err, /Nothing was trained/);
    assert.doesNotMatch(r.out, /Epoch 1/, 'no epoch ran');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a class only in the held-out split beyond the output units is refused before training', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-labels-'));
  try {
    writeFileSync(join(dir, 'train.csv'), csv(rowsAB(40, 3), ['a', 'b', 'label']));
    writeFileSync(join(dir, 'test.csv'), 'a,b,label\n1,2,1\n0.5,0.1,2\n');
    const config = writeConfig(dir, { csv: 'train.csv', test_csv: 'test.csv', label_column: 'label' }, 2);
    const r = keelTrain(config, '--out', join(dir, 'out'));
    assert.equal(r.status, 1);
    assert.match(r.err, /test\.csv line 3 \(test split\): label 2 is not a class id/);
    assert.doesNotMatch(r.out, /Epoch 1/, 'no epoch ran');
    // With enough output units it trains, and says the class is never seen in training.
    const ok = writeConfig(dir, { csv: 'train.csv', test_csv: 'test.csv', label_column: 'label' }, 3, 1);
    writeFileSync(join(dir, 'train.csv'), csv(rowsAB(40, 3), ['a', 'b', 'label']));
    writeFileSync(join(dir, 'test.csv'), 'a,b,label\n1,2,1\n0.5,0.1,2\n');
    const trained = keelTrain(ok, '--out', join(dir, 'out'));
    assert.equal(trained.status, 0, trained.err);
    assert.match(trained.out, /class 2 appears in the test split \(first at .*test\.csv line 3\) but never/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unwritable --out is reported before training; a failed write after training is rescued', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-out-'));
  try {
    writeFileSync(join(dir, 'train.csv'), csv(rowsAB(40, 4), ['a', 'b', 'label']));
    const config = writeConfig(dir, { csv: 'train.csv', label_column: 'label' }, 2, 1);
    writeFileSync(join(dir, 'taken'), 'a file');
    const r = keelTrain(config, '--out', join(dir, 'taken'));
    assert.equal(r.status, 1);
    assert.match(r.err, /--out .*taken is an existing file.*Nothing was trained/);
    assert.doesNotMatch(r.out, /Epoch 1/);
    // The folder is writable, but the model's own folder is blocked by a file: found only when saving.
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'model'), 'in the way');
    const saved = keelTrain(config, '--out', join(dir, 'out'));
    assert.equal(saved.status, 1);
    const m = /written to (\S+) instead/.exec(saved.err);
    assert.ok(m, saved.err);
    assert.ok(existsSync(join(m[1]!, 'model', 'model.json')), 'the trained model was written elsewhere');
    assert.ok(existsSync(join(m[1]!, 'history.json')));
    rmSync(m[1]!, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('write errors name the file; fitStandardizer names the file and line', async () => {
  const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const named = namingFile(enospc, '/runs/out/history.json') as NodeJS.ErrnoException;
  assert.match(named.message, /\/runs\/out\/history\.json: ENOSPC: no space left on device/);
  assert.equal(named.code, 'ENOSPC');
  const dir = mkdtempSync(join(tmpdir(), 'keel-write-'));
  try {
    writeFileSync(join(dir, 'blocker'), '');
    await assert.rejects(writeFileAtomic(join(dir, 'blocker', 'model.json'), 'x'), /blocker\/model\.json/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // A value beyond float32 became Infinity in the data, and fitStandardizer's NaN named neither file nor line.
  assert.throws(
    () => csvToDataset('x,label\n1,0\n1e39,1\n', { labelColumn: 'label', file: 'big.csv' }),
    /big\.csv, line 3, column "x": "1e39" is out of range/,
  );
  const ds = csvToDataset('x,label\n1,0\n\n2,1\n3,0\n', { labelColumn: 'label', file: 'big.csv' });
  ds.x[1] = Infinity; // (a data set built through the API can hold one)
  assert.throws(() => fitStandardizer(ds), /big\.csv, line 4: fitStandardizer: feature "x" contains NaN or Infinity/);
});
