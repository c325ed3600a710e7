/**
 * The CLI items of issue 17, one test each: exit codes (NaN stop, empty selections), demo --limit,
 * --quiet/--verbose and the folded summary, Ctrl-C, --batch-size/--lr, experiments' output folder and
 * did-you-mean. No test waits on the clock: the Ctrl-C test signals after a step the child has reported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint } from '../../src/nn/checkpoint/index.js';
import { buildModel, loadRunData, parseRunConfig } from '../../src/run-config/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const main = join(root, 'src/cli/main.ts');
const tsx = import.meta.resolve('tsx');
const args = (a: string[]) => ['--import', tsx, main, ...a];

function keel(a: string[], cwd = root) {
  return spawnSync(process.execPath, args(a), { cwd, encoding: 'utf8', timeout: 600_000 });
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'keel-cli-'));
}

/** A small, fast config: the teacher task, a 4-block ReLU stack. */
function smallConfig(dir: string, patch: (c: Record<string, any>) => void = () => {}): string {
  const c = JSON.parse(readFileSync(join(root, 'test/cases/healthy-relu-he.json'), 'utf8'));
  c.model[0].repeat = 4;
  c.fit.validation_split = 0.1;
  patch(c);
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(c));
  return path;
}

test('train: a NaN stop exits 1, writes the history and NOT the model', () => {
  const dir = tmp();
  const out = join(dir, 'out');
  const r = keel(['train', join(root, 'test/cases/broken-huge-lr.json'), '--out', out]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /stopped on a non-finite value/);
  const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
  assert.notEqual(history.nonFinite, null);
  assert.ok(!existsSync(join(out, 'model')), 'the NaN model is not written');
  assert.doesNotMatch(r.stdout, /Test: loss/);
});

test('demo --only with an unknown key exits non-zero with a did-you-mean; an empty list too', () => {
  const r = keel(['demo', '--only', 'elu-hee']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /unknown demo variant 'elu-hee'\. Did you mean 'elu-he'\?/);
  const none = keel(['demo', '--only', 'nosuch']);
  assert.notEqual(none.status, 0);
  assert.match(none.stderr, /unknown demo variant 'nosuch'.*Known: sigmoid-glorot/);
  const empty = keel(['demo', '--only', ',']);
  assert.notEqual(empty.status, 0);
  assert.match(empty.stderr, /--only selects no variant/);
});

test('demo --limit 5 trains on five images and prints the table', () => {
  const r = keel(['demo', '--quick', '--limit', '5', '--only', 'elu-he']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /elu \+ he_normal\s+\d/);
});

test('train prints the folded summary by default, every layer with --verbose, neither with --quiet', () => {
  const dir = tmp();
  const config = smallConfig(dir, (c) => (c.model[0].repeat = 8));
  const base = ['train', config, '--epochs', '1', '--out', join(dir, 'out')];
  const folded = keel(base);
  assert.equal(folded.status, 0, folded.stderr);
  assert.match(folded.stdout, /7 × \[Dense\]\s+\(None, 64\)/);
  assert.doesNotMatch(folded.stdout, /dense_3 \(Dense\)/);
  const verbose = keel([...base, '--verbose']);
  assert.match(verbose.stdout, /dense_3 \(Dense\)/);
  const quiet = keel([...base, '--quiet']);
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.doesNotMatch(quiet.stdout, /Model:|Epoch|Data:/);
  assert.match(quiet.stdout, /^Test: loss/m);
});

test('train --batch-size and --lr override the config (seen in the checkpoint)', async () => {
  const dir = tmp();
  const config = smallConfig(dir);
  const ckpt = join(dir, 'ckpt');
  const r = keel([
    'train',
    config,
    '--epochs',
    '1',
    '--batch-size',
    '50',
    '--lr',
    '0.125',
    '--checkpoint',
    ckpt,
    '--out',
    join(dir, 'out'),
  ]);
  assert.equal(r.status, 0, r.stderr);
  const parsed = parseRunConfig(config);
  const data = loadRunData(parsed);
  const trainRows = Math.floor(data.x.shape[0]! * (1 - 0.1)); // Keras's validation_split point
  const loaded = await loadCheckpoint(ckpt, buildModel(parsed, data.inputShape));
  assert.equal(loaded.learningRate, 0.125);
  assert.equal(loaded.resume?.stepsPerEpoch, Math.ceil(trainRows / 50));
  const bad = keel(['train', config, '--lr', '-1', '--out', join(dir, 'bad')]);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--lr must be a positive number; received '-1'/);
});

test('Ctrl-C during train writes the history and a resumable checkpoint, exit code 130', async () => {
  const dir = tmp();
  const config = smallConfig(dir);
  const out = join(dir, 'out');
  // Many epochs: the run cannot end by itself before the signal; the signal follows epoch 2's line.
  const child = spawn(process.execPath, args(['train', config, '--epochs', '100000', '--out', out]), { cwd: root });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (!signalled && /^Epoch 2\/100000 /m.test(stdout)) {
      signalled = true;
      child.kill('SIGINT');
    }
  });
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  assert.ok(signalled, `the child reported epoch 2:\n${stdout}\n${stderr}`);
  assert.equal(code, 130, stderr);
  assert.match(stderr, /interrupted after \d+ complete epoch\(s\); wrote .*history\.json and a checkpoint in/);
  const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8'));
  assert.ok(history.epoch.length >= 2, `history has the finished epochs: ${history.epoch.length}`);
  assert.ok(readdirSync(join(out, 'checkpoint')).length > 0, 'a checkpoint was written');
  // It resumes: one more epoch from where it stopped.
  const resumed = keel([
    'train',
    config,
    '--epochs',
    String(history.epoch.length + 1),
    '--checkpoint',
    join(out, 'checkpoint'),
    '--resume',
    '--out',
    out,
  ]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stdout, /Resuming from/);
});

test('experiment: a misspelt name gets a did-you-mean; reports go to runs/experiments, not docs/', () => {
  const r = keel(['experiment', 'vanish']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /unknown experiment 'vanish'\. Did you mean 'vanishing'\?/);
  const cwd = tmp();
  const ok = keel(['experiment', 'glorot2010', '--quick'], cwd);
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok(existsSync(join(cwd, 'runs', 'experiments', 'glorot2010.quick.md')));
  assert.ok(!existsSync(join(cwd, 'docs')), 'nothing is written to ./docs');
});
