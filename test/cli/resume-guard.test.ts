/**
 * `keel train --checkpoint DIR --resume` (issue 19, defects 10 and 11): a checkpoint carries a fingerprint of
 * the data and the config, and a resume on other data or with a changed learning rate is refused naming what
 * changed; a checkpoint folder in use by another live run is refused; a live writer's temporary file is not
 * deleted as a crash leftover.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleTemps } from '../../src/nn/serialization/atomic.js';
import { lockFolder } from '../../src/io/dir-lock.js';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const keel = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'train', ...args], { encoding: 'utf8' });

function config(dir: string, name: string, change: (c: any) => void = () => {}): string {
  const c: any = {
    seed: 2,
    data: { dataset: 'spirals', n: 160, noise: 0.2 },
    model: [
      { type: 'Dense', units: 8, activation: 'relu' },
      { type: 'Dense', units: 3, activation: 'softmax' },
    ],
    compile: { optimizer: { class_name: 'Adam', config: { learning_rate: 0.01 } } },
    fit: { epochs: 3, batch_size: 32 },
  };
  change(c);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(c));
  return path;
}

test('--resume refuses a checkpoint of other data or another config, naming what changed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-resume-'));
  try {
    const ckpt = join(dir, 'ckpt'),
      out = join(dir, 'out');
    const first = keel(config(dir, 'a.json'), '--epochs', '1', '--checkpoint', ckpt, '--out', out);
    assert.equal(first.status, 0, first.stderr);
    const lr = keel(
      config(dir, 'lr.json', (c) => (c.compile.optimizer.config.learning_rate = 0.5)),
      '--checkpoint',
      ckpt,
      '--resume',
      '--out',
      out,
    );
    assert.equal(lr.status, 1, lr.stdout);
    assert.match(lr.stderr, /different run: compile \(optimizer, learning rate, loss, metrics\) changed/);
    // Same number of rows, other values: the old row-count check could not tell.
    const data = keel(
      config(dir, 'd.json', (c) => (c.data.noise = 0.3)),
      '--checkpoint',
      ckpt,
      '--resume',
      '--out',
      out,
    );
    assert.equal(data.status, 1, data.stdout);
    assert.match(data.stderr, /different run: the training data changed/);
    const same = keel(config(dir, 'a.json'), '--checkpoint', ckpt, '--resume', '--out', out);
    assert.equal(same.status, 0, same.stderr);
    assert.match(same.stdout, /Resuming from .*epoch 2/);
    assert.ok(!existsSync(join(ckpt, '.keel-lock')), 'the lock is released when the run ends');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a checkpoint folder in use by a live run is refused; a lock of a dead process is taken over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-lock-'));
  try {
    const ckpt = join(dir, 'ckpt');
    const release = lockFolder(ckpt, '--checkpoint folder'); // this process is the live run
    const r = keel(config(dir, 'a.json'), '--epochs', '1', '--checkpoint', ckpt, '--out', join(dir, 'out'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`in use by another Keel run \\(process ${process.pid}\\)`));
    assert.doesNotMatch(r.stdout, /Epoch 1/);
    release();
    // A lock left by a process that has exited is stale.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(ckpt, '.keel-lock'), gone.stdout);
    const ok = keel(config(dir, 'a.json'), '--epochs', '1', '--checkpoint', ckpt, '--out', join(dir, 'out'));
    assert.equal(ok.status, 0, ok.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("another live process's temporary file is not removed as a crash leftover", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-temps-'));
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  try {
    const live = `.checkpoint.keel.tmp-${child.pid}-abc-0`;
    const dead = `.checkpoint.keel.tmp-999999999-abc-0`;
    writeFileSync(join(dir, live), 'writing');
    writeFileSync(join(dir, dead), 'left over');
    await removeStaleTemps(dir);
    assert.ok(existsSync(join(dir, live)), "a live writer's file stays");
    assert.ok(!existsSync(join(dir, dead)), 'a dead writer’s file is removed');
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
