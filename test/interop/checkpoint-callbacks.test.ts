/**
 * Callback state in checkpoints: a run interrupted and resumed (loadCheckpoint + resumeFrom, or
 * BackupAndRestore without any user code) with EarlyStopping and ReduceLROnPlateau active gives the
 * same weights (bit for bit), history and learning-rate trajectory as an uninterrupted run; a saved
 * callback state is validated before anything is restored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setSeed, Callback, EarlyStopping, ReduceLROnPlateau, type History } from '../../src/index.js';
import { ModelCheckpoint, BackupAndRestore, loadCheckpoint, saveCheckpoint } from '../../src/nn/checkpoint/index.js';
import type { Sequential } from '../../src/nn/model.js';
import { makeData, makeModel } from '../helpers/train-with-checkpoint.js';

const FEATURES = 16;
const EPOCHS = 14;

/** Throws at the end of the `at`-th batch this callback sees (a crash, as far as fit is concerned). */
class CrashAt extends Callback {
  private count = 0;
  constructor(private readonly at: number) {
    super();
  }
  override onBatchEnd(): void {
    if (++this.count === this.at) throw new Error('simulated crash');
  }
}

function monitors(): Callback[] {
  return [
    new EarlyStopping({ patience: 3, minDelta: 0.01, restoreBestWeights: true }),
    new ReduceLROnPlateau({ patience: 1, factor: 0.5, minDelta: 0.02, cooldown: 1 }),
  ];
}

function fresh(seed: number): Sequential {
  setSeed(seed);
  return makeModel(FEATURES); // Nadam(0.003), sparse categorical cross-entropy, accuracy
}

const data = makeData(200, FEATURES);
const fitArgs = { batchSize: 32, validationSplit: 0.2, verbose: 0 as const };

interface Outcome {
  weights: Float32Array[];
  history: History;
  learningRate: number;
}

function outcome(model: Sequential, history: History): Outcome {
  return {
    weights: model.getWeights().map((w) => w.data),
    history,
    learningRate: model.compiled!.optimizer.learningRate,
  };
}

async function uninterrupted(): Promise<Outcome> {
  const model = fresh(5);
  const history = await model.fit(data.x, data.y, { ...fitArgs, epochs: EPOCHS, callbacks: monitors() });
  return outcome(model, history);
}

function sameRun(a: Outcome, b: Outcome): void {
  assert.equal(a.weights.length, b.weights.length);
  a.weights.forEach((w, i) =>
    assert.ok(Buffer.from(w.buffer).equals(Buffer.from(b.weights[i]!.buffer)), `weight ${i}`),
  );
  assert.deepEqual(a.history.epoch, b.history.epoch);
  assert.deepEqual(a.history.history, b.history.history);
  assert.equal(a.learningRate, b.learningRate);
}

let reference: Outcome | null = null;
async function ref(): Promise<Outcome> {
  reference ??= await uninterrupted();
  return reference;
}

test('the uninterrupted run: ReduceLROnPlateau reduces the rate twice or more, EarlyStopping stops it', async () => {
  const r = await ref();
  const rates = r.history.history.learning_rate!;
  assert.equal(rates.length, r.history.epoch.length);
  assert.ok(new Set(rates).size >= 3, `rates ${rates.join(', ')}`);
  assert.ok(r.history.epoch.length < EPOCHS, `ran ${r.history.epoch.length} epochs`);
});

for (const [label, saveFreq, crashAt] of [
  ['an epoch-end checkpoint', 'epoch', 5 * 5 + 2],
  ['a mid-epoch checkpoint', 7, 4 * 5 + 3],
] as const) {
  test(`resumed from ${label} (loadCheckpoint + resumeFrom): the same weights, history and rates`, async () => {
    const r = await ref();
    const dir = mkdtempSync(join(tmpdir(), 'keel-cbstate-'));
    try {
      const first = fresh(5);
      await assert.rejects(
        first.fit(data.x, data.y, {
          ...fitArgs,
          epochs: EPOCHS,
          callbacks: [...monitors(), new ModelCheckpoint({ filepath: dir, saveFreq }), new CrashAt(crashAt)],
        }),
        /simulated crash/,
      );
      const model = fresh(999); // a new process: whatever the generator state, the checkpoint restores it
      const callbacks = [...monitors(), new ModelCheckpoint({ filepath: dir, saveFreq })];
      const ckpt = await loadCheckpoint(dir, model, { callbacks });
      assert.ok(ckpt.resume!.epoch >= 3, 'the checkpoint is past the first rate reduction');
      assert.ok(ckpt.resume!.callbackState!.some((e) => e.callback === 'EarlyStopping'));
      const history = await model.fit(data.x, data.y, {
        ...fitArgs,
        epochs: EPOCHS,
        callbacks,
        resumeFrom: ckpt.resume,
      });
      sameRun(outcome(model, history), r);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`BackupAndRestore (${label}): fit restores the backup by itself and continues the run exactly`, async () => {
    const r = await ref();
    const root = mkdtempSync(join(tmpdir(), 'keel-backup-'));
    const backupDir = join(root, 'backup');
    try {
      const first = fresh(5);
      await assert.rejects(
        first.fit(data.x, data.y, {
          ...fitArgs,
          epochs: EPOCHS,
          // Listed first on purpose: fit runs checkpoint writers after the other callbacks.
          callbacks: [new BackupAndRestore({ backupDir, saveFreq }), ...monitors(), new CrashAt(crashAt)],
        }),
        /simulated crash/,
      );
      assert.ok(existsSync(join(backupDir, 'checkpoint.keel')), 'an interrupted fit keeps its backup');
      const model = fresh(999);
      const backup = new BackupAndRestore({ backupDir, saveFreq });
      const history = await model.fit(data.x, data.y, {
        ...fitArgs,
        epochs: EPOCHS,
        callbacks: [backup, ...monitors()],
      });
      assert.ok(backup.restoredFrom !== null && backup.restoredFrom.epoch >= 3);
      sameRun(outcome(model, history), r);
      assert.ok(!existsSync(backupDir), 'the backup is deleted when training ends');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
}

test('a checkpoint taken as EarlyStopping stopped the run: resuming ends at once, with the same result', async () => {
  const r = await ref();
  const dir = mkdtempSync(join(tmpdir(), 'keel-cbstate-'));
  try {
    const first = fresh(5);
    await first.fit(data.x, data.y, {
      ...fitArgs,
      epochs: EPOCHS,
      callbacks: [...monitors(), new ModelCheckpoint({ filepath: dir })],
    });
    const model = fresh(999);
    const ckpt = await loadCheckpoint(dir, model);
    assert.equal(ckpt.resume!.stopTraining, true);
    const epochsRun: number[] = [];
    const callbacks = [...monitors(), { onEpochBegin: (e: number) => void epochsRun.push(e) }];
    const history = await model.fit(data.x, data.y, { ...fitArgs, epochs: EPOCHS, callbacks, resumeFrom: ckpt.resume });
    assert.deepEqual(epochsRun, []);
    sameRun(outcome(model, history), r); // EarlyStopping restored the best weights from its saved state
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('BackupAndRestore: no backup → a normal run; deleteCheckpoint false keeps it; options checked', async () => {
  const root = mkdtempSync(join(tmpdir(), 'keel-backup-'));
  try {
    const backupDir = join(root, 'b');
    const model = fresh(5);
    const backup = new BackupAndRestore({ backupDir, deleteCheckpoint: false });
    const history = await model.fit(data.x, data.y, { ...fitArgs, epochs: 2, callbacks: [backup] });
    assert.equal(backup.restoredFrom, null);
    assert.deepEqual(history.epoch, [0, 1]);
    assert.ok(existsSync(join(backupDir, 'checkpoint.keel')));
    // Fitting again continues after the backup's last epoch (as Keras's, with the saved epoch).
    const again = await model.fit(data.x, data.y, { ...fitArgs, epochs: 3, callbacks: [backup] });
    assert.deepEqual(backup.restoredFrom, { epoch: 2, step: 0 });
    assert.deepEqual(again.epoch, [0, 1, 2]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  assert.throws(
    () => new BackupAndRestore({ backupDir: '' }),
    /BackupAndRestore: backupDir \(a directory\) is required/,
  );
  assert.throws(
    () => new BackupAndRestore({ backup_dir: 'x' } as unknown as { backupDir: string }),
    /Did you mean 'backupDir'\?/,
  );
  assert.throws(() => new BackupAndRestore({ backupDir: 'x', saveFreq: 0 }), /Invalid saveFreq for BackupAndRestore/);
});

/** A callback whose state holds a Float32Array and must be non-negative. */
class Tally extends Callback {
  n = 0;
  sums: Float32Array = new Float32Array([1.5, -2, 3.25]);
  override getState(): unknown {
    return { n: this.n, sums: this.sums };
  }
  override validateState(state: unknown, where: string): void {
    const s = state as { n: number; sums: unknown };
    if (!(s.n >= 0)) throw new Error(`${where}: n must be ≥ 0; received ${s.n}`);
    if (!(s.sums instanceof Float32Array)) throw new Error(`${where}: sums must be a Float32Array`);
  }
  override setState(state: unknown): void {
    const s = state as { n: number; sums: Float32Array };
    this.n = s.n;
    this.sums = s.sums;
  }
}

test('callback state: Float32Arrays round-trip as tensors; a bad state is refused before any restore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-cbstate-'));
  try {
    const source = fresh(5);
    const tally = new Tally();
    tally.n = 7;
    await saveCheckpoint(dir, { model: source, history: null, callbacks: [new Callback(), tally] });
    const target = fresh(6);
    const before = target.getWeights().map((w) => Float32Array.from(w.data));
    const loaded = await loadCheckpoint(dir, target, { callbacks: [new Tally()] });
    assert.equal(loaded.resume, null); // taken outside fit
    const restored = new Tally();
    await saveCheckpoint(dir, { model: source, history: null, callbacks: [Object.assign(new Tally(), { n: -1 })] });
    const untouched = fresh(6);
    await assert.rejects(
      loadCheckpoint(dir, untouched, { callbacks: [restored] }),
      /callbackState Tally#0: n must be ≥ 0; received -1/,
    );
    untouched.getWeights().forEach((w, i) => assert.deepEqual(w.data, before[i]));
    // Through fit: the state is validated before training, and restored after onTrainBegin.
    const model = fresh(5);
    const ckptDir = join(dir, 'run');
    await model.fit(data.x, data.y, {
      ...fitArgs,
      epochs: 1,
      callbacks: [Object.assign(new Tally(), { n: 3 }), new ModelCheckpoint({ filepath: ckptDir })],
    });
    const resumed = fresh(5);
    const ckpt = await loadCheckpoint(ckptDir, resumed);
    const entry = ckpt.resume!.callbackState!.find((e) => e.callback === 'Tally')!;
    assert.deepEqual(entry.state, { n: 3, sums: new Float32Array([1.5, -2, 3.25]) });
    const t = new Tally();
    await resumed.fit(data.x, data.y, { ...fitArgs, epochs: 2, callbacks: [t], resumeFrom: ckpt.resume });
    assert.equal(t.n, 3);
    const bad = { ...ckpt.resume!, callbackState: [{ callback: 'Tally', index: 0, state: { n: -5, sums: null } }] };
    const epochsRun: number[] = [];
    await assert.rejects(
      resumed.fit(data.x, data.y, {
        ...fitArgs,
        epochs: 2,
        callbacks: [new Tally(), { onEpochBegin: (e: number) => void epochsRun.push(e) }],
        resumeFrom: bad,
      }),
      /fit resumeFrom callbackState Tally#0: n must be ≥ 0; received -5/,
    );
    assert.deepEqual(epochsRun, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
