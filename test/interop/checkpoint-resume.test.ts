/**
 * Checkpoints: resuming (mid-epoch or at an epoch boundary, with every
 * optimizer) continues the run bit for bit as if it had never stopped;
 * ModelCheckpoint's saveBestOnly / filepath fields; damaged checkpoint files
 * are refused before anything is restored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setSeed, Callback, type History } from '../../src/index.js';
import { SGD, Adam, RMSprop, Nadam, type Optimizer } from '../../src/nn/optimizers/index.js';
import {
  ModelCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  formatFilepath,
  CHECKPOINT_FILE,
} from '../../src/nn/checkpoint/index.js';
import { makeData, makeModel } from '../helpers/train-with-checkpoint.js';

const FEATURES = 16;

/** Throws after global step `at` (a crash, as far as fit is concerned). */
class CrashAt extends Callback {
  private count = 0;
  constructor(private readonly at: number) {
    super();
  }
  override onBatchEnd(): void {
    if (++this.count === this.at) throw new Error('simulated crash');
  }
}

function sameBits(a: Float32Array[], b: Float32Array[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) =>
      Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(
        Buffer.from(b[i]!.buffer, b[i]!.byteOffset, b[i]!.byteLength),
      ),
    )
  );
}

async function run(
  optimizer: () => Optimizer,
  dir: string | null,
  crashAt: number | null,
  saveFreq: 'epoch' | number,
  epochs = 3,
): Promise<{ weights: Float32Array[]; history: History | null }> {
  setSeed(5);
  const { x, y } = makeData(300, FEATURES);
  const model = makeModel(FEATURES);
  model.compile({ optimizer: optimizer(), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const callbacks: Callback[] = [];
  if (dir !== null) callbacks.push(new ModelCheckpoint({ filepath: dir, saveFreq }));
  if (crashAt !== null) callbacks.push(new CrashAt(crashAt));
  const args = { epochs, batchSize: 32, validationSplit: 0.2, verbose: 0 as const, callbacks };
  if (crashAt !== null) {
    await assert.rejects(model.fit(x, y, args), /simulated crash/);
    // A new process: same construction, then the checkpoint.
    setSeed(999); // the checkpoint must restore every generator, whatever the state here
    const fresh = makeModel(FEATURES);
    fresh.compile({ optimizer: optimizer(), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const ckpt = await loadCheckpoint(dir!, fresh);
    const history = await fresh.fit(x, y, {
      ...args,
      callbacks: [new ModelCheckpoint({ filepath: dir!, saveFreq })],
      resumeFrom: ckpt.resume,
    });
    return { weights: fresh.getWeights().map((w) => w.data), history };
  }
  const history = await model.fit(x, y, args);
  return { weights: model.getWeights().map((w) => w.data), history };
}

const optimizers: [string, () => Optimizer][] = [
  ['SGD+nesterov', () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
  ['Adam amsgrad', () => new Adam({ amsgrad: true })],
  ['RMSprop centered', () => new RMSprop({ momentum: 0.5, centered: true })],
  ['Nadam', () => new Nadam()],
];

for (const [name, make] of optimizers) {
  test(`resuming mid-epoch reproduces the uninterrupted run bit for bit (${name})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-'));
    try {
      const reference = await run(make, null, null, 'epoch');
      // 8 steps per epoch (240 samples / 32): crash at global step 13 (epoch 2, batch 5); last save after step 12.
      const resumed = await run(make, dir, 13, 4);
      assert.ok(sameBits(reference.weights, resumed.weights), 'final weights differ');
      assert.deepEqual(resumed.history!.toJSON(), reference.history!.toJSON());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('resuming from an epoch-end checkpoint reproduces the run bit for bit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-'));
  try {
    const reference = await run(() => new Nadam(), null, null, 'epoch');
    const resumed = await run(() => new Nadam(), dir, 19, 'epoch');
    assert.ok(sameBits(reference.weights, resumed.weights));
    assert.deepEqual(resumed.history!.toJSON(), reference.history!.toJSON());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resuming from a per-epoch checkpoint stays bit-identical for every later epoch, not just the first', async () => {
  // Issue 19 defect 2: the generator was restored to its state before the resumed epoch's shuffle, so the first
  // resumed epoch matched and every later one diverged. 8 steps per epoch: a crash at step 11 (epoch 2) resumes
  // from the end of epoch 1 and trains 5 more epochs.
  const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-'));
  try {
    const reference = await run(() => new Nadam(), null, null, 'epoch', 6);
    const resumed = await run(() => new Nadam(), dir, 11, 'epoch', 6);
    assert.deepEqual(resumed.history!.toJSON(), reference.history!.toJSON());
    assert.ok(sameBits(reference.weights, resumed.weights));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ModelCheckpoint: saveBestOnly and Keras-style filepath fields', async () => {
  assert.equal(formatFilepath('ck/e{epoch:02d}-{val_loss:.3f}', { epoch: 3, val_loss: 0.12345 }), 'ck/e03-0.123');
  assert.throws(() => formatFilepath('ck/{nope}', { epoch: 1 }), /\{nope\} has no value/);
  const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-'));
  try {
    setSeed(3);
    const { x, y } = makeData(200, FEATURES);
    const model = makeModel(FEATURES);
    const cb = new ModelCheckpoint({ filepath: join(dir, 'e{epoch:02d}'), monitor: 'val_loss', saveBestOnly: true });
    const history = await model.fit(x, y, {
      epochs: 4,
      batchSize: 50,
      validationSplit: 0.25,
      verbose: 0,
      callbacks: [cb],
    });
    const val = history.history.val_loss!;
    const improving = val
      .map((v, i) => val.slice(0, i).every((p) => v < p))
      .map((b, i) => (b ? `e${String(i + 1).padStart(2, '0')}` : null))
      .filter((s) => s !== null);
    assert.deepEqual(readdirSync(dir).sort(), improving);
    assert.equal(cb.saved.length, improving.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged checkpoint is refused with a clear error and restores nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-'));
  try {
    setSeed(4);
    const model = makeModel(FEATURES);
    model.build([FEATURES]);
    await saveCheckpoint(dir, { model });
    const file = join(dir, CHECKPOINT_FILE);
    const good = readFileSync(file);
    const before = model.getWeights().map((w) => Float32Array.from(w.data));
    const damage: [string, Buffer, RegExp][] = [
      ['truncated', good.subarray(0, good.length - 7), /truncated or corrupted|holds .* bytes/],
      ['flipped byte', Buffer.from(good.map((b, i) => (i === good.length - 3 ? b ^ 0xff : b))), /checksum mismatch/],
      ['no signature', Buffer.from('hello world, this is not a checkpoint'), /not a Keel checkpoint/],
      ['header cut', good.subarray(0, 40), /does not fit|not valid JSON/],
    ];
    for (const [what, bytes, pattern] of damage) {
      writeFileSync(file, bytes);
      // Scribble on the weights; a refused load must not touch them.
      model.weights.forEach((w, i) => w.assign(before[i]!));
      await assert.rejects(
        loadCheckpoint(dir, model),
        (e: Error) => e.constructor === Error && pattern.test(e.message),
        what,
      );
      assert.ok(
        sameBits(
          model.getWeights().map((w) => w.data),
          before,
        ),
        `${what}: weights changed`,
      );
    }
    const other = makeModel(FEATURES + 1);
    other.build([FEATURES + 1]);
    writeFileSync(file, good);
    await assert.rejects(
      loadCheckpoint(dir, other),
      new RegExp(
        "do not fit model .*first difference at #0: stored 'dense\\w*/kernel' \\[16, 48\\] " +
          "vs model 'dense\\w*/kernel' \\[17, 48\\]",
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
