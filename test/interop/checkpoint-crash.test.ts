/**
 * Crash test: a training process (test/helpers/train-with-checkpoint.ts, a
 * checkpoint every 3 batches) is killed with SIGKILL when it reports a seeded
 * random batch number — so every kill lands mid-training, however fast or loaded
 * the machine (no wall-clock delays); the kill arrives while the next step runs or
 * while a checkpoint is being written — and restarted each time; it resumes from
 * the last checkpoint. The final weights must equal, bit for bit, those of an
 * uninterrupted run with the same seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '../../src/index.js';

const SCRIPT = join(import.meta.dirname, '..', 'helpers', 'train-with-checkpoint.ts');
const EPOCHS = '8',
  SAVE_FREQ = '3',
  KILLS = 5;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
}

/**
 * Starts the trainer; if `killAtBatch` is set, SIGKILLs it when it prints "batch <killAtBatch>" (a number) or
 * the line itself (a string such as "epoch 3").
 */
function start(
  dir: string,
  killAtBatch: number | string | null,
  variant: string,
  epochs = EPOCHS,
  saveFreq = SAVE_FREQ,
): Promise<Run> {
  const killLine = typeof killAtBatch === 'number' ? `batch ${killAtBatch}` : killAtBatch;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, dir, epochs, saveFreq, variant], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '',
      err = '',
      pending = '',
      sent = false;
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString();
      out += text;
      // Whole lines only: a chunk may end in the middle of one.
      const lines = (pending + text).split('\n');
      pending = lines.pop()!;
      if (killLine !== null && !sent && lines.includes(killLine)) {
        sent = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`trainer failed (${code}): ${err}`));
      else resolve({ code, signal, out });
    });
  });
}

const VARIANTS: [string, string][] = [
  ['nadam', 'Nadam, BatchNormalization, PReLU, Dropout, AlphaDropout'],
  ['adamw-schedule', 'AdamW + CosineDecay warm-up, L2 + max-norm, EarlyStopping'],
  ['adamw-plateau', 'AdamW + ReduceLROnPlateau'],
];

// A generous bound only against a hung child (the test's outcome never depends on timing).
for (const [variant, label] of VARIANTS)
  test(
    `SIGKILLed training resumes from its checkpoints to the same final weights, bit for bit (${label})`,
    { timeout: 300_000 },
    async () => {
      const root = mkdtempSync(join(tmpdir(), 'keel-crash-'));
      try {
        const refDir = join(root, 'reference'),
          crashDir = join(root, 'crashed');
        const reference = await start(refDir, null, variant);
        assert.match(reference.out, /fresh[\s\S]*done/);
        const totalBatches = (reference.out.match(/^batch \d+$/gm) ?? []).length;

        const rng = new Random(2024); // kill points: seeded, so a failure can be replayed
        // The trainer counts batches over the whole run; one kill in each fifth of it (a seeded point in the
        // middle of the band), so kills land in every phase: warm-up, plateaus, early stopping's patience.
        const killAt = Array.from(
          { length: KILLS },
          (_, k) => 1 + Math.floor((totalBatches * (k + 0.3 + 0.4 * rng.uniform())) / KILLS),
        );
        assert.ok(totalBatches > 3 * KILLS, `the run has ${totalBatches} batches`);
        let kills = 0,
          midWrite = 0;
        const resumes: string[] = [];
        for (const target of [...killAt, null]) {
          const run = await start(crashDir, target, variant);
          const resumed = /resume (\d+) (\d+)/.exec(run.out);
          if (resumed) resumes.push(`${resumed[1]}:${resumed[2]}`);
          if (target === null) {
            assert.match(run.out, /done/);
            break;
          }
          assert.equal(
            run.signal,
            'SIGKILL',
            `the run to be killed at batch ${target} ended with ${run.code}: ${run.out.slice(-200)}`,
          );
          assert.doesNotMatch(run.out, /done/, 'killed before finishing');
          kills++;
          // A leftover temporary file means the kill landed while a checkpoint was being written.
          if (
            existsSync(join(crashDir, 'ckpt')) &&
            readdirSync(join(crashDir, 'ckpt')).some((n) => n.includes('.tmp-'))
          )
            midWrite++;
        }
        const at = `at batches ${killAt.join(', ')} (${midWrite} while writing a checkpoint)`;
        console.log(`  ${kills} SIGKILLs ${at}; resumed at (epoch:step) ${resumes.join(', ')}`);
        assert.equal(kills, KILLS, `only ${kills} kills landed`);
        assert.ok(resumes.length >= 2, 'restarts after a kill resumed from a checkpoint');
        const a = readFileSync(join(refDir, 'final.bin')),
          b = readFileSync(join(crashDir, 'final.bin'));
        assert.ok(a.length > 0 && a.equals(b), 'final weights differ from the uninterrupted run');
        const history = JSON.parse(readFileSync(join(refDir, 'history.json'), 'utf8')) as {
          history: Record<string, number[]>;
        };
        assert.deepEqual(JSON.parse(readFileSync(join(crashDir, 'history.json'), 'utf8')), history);
        if (variant === 'adamw-plateau') {
          const rates = history.history.learning_rate ?? [];
          assert.ok(new Set(rates).size >= 2, `ReduceLROnPlateau reduced the rate during the run: ${rates.join(', ')}`);
        }
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );

/** A CPU-heavy neighbour (a busy loop in another process) for as long as the test runs. */
function burnCpu(): ChildProcess {
  return spawn(process.execPath, ['-e', 'let x = 0; for (;;) x = (x * 1103515245 + 12345) % 2147483647;'], {
    stdio: 'ignore',
  });
}

test(
  'per-epoch checkpoints (the CLI default): 10 SIGKILLs at reported steps, between epochs and inside them, ' +
    'with a CPU-heavy neighbour, end bit-identical',
  { timeout: 600_000 },
  async () => {
    const root = mkdtempSync(join(tmpdir(), 'keel-crash-epoch-'));
    const burner = burnCpu();
    try {
      const epochs = '11';
      const refDir = join(root, 'reference'),
        crashDir = join(root, 'crashed');
      const reference = await start(refDir, null, 'nadam', epochs, 'epoch');
      assert.match(reference.out, /fresh[\s\S]*done/);
      const totalBatches = (reference.out.match(/^batch \d+$/gm) ?? []).length;
      const steps = totalBatches / Number(epochs);
      assert.ok(Number.isInteger(steps), `${totalBatches} batches over ${epochs} epochs`);
      // Kills alternate: as epoch 2k+1 begins (its predecessor's checkpoint written: between epochs), then at a
      // seeded batch inside epoch 2k+2 (the run resumes from that epoch's start). Seeded: replayable.
      const rng = new Random(1919);
      const plan: string[] = [];
      for (let k = 0; k < 5; k++) {
        plan.push(`epoch ${2 * k + 1}`);
        plan.push(`batch ${(2 * k + 2) * steps + 1 + Math.floor(rng.uniform() * (steps - 1))}`);
      }
      let kills = 0;
      const resumes: string[] = [];
      for (const target of [...plan, null]) {
        const run = await start(crashDir, target, 'nadam', epochs, 'epoch');
        const resumed = /resume (\d+) (\d+)/.exec(run.out);
        if (resumed) resumes.push(`${resumed[1]}:${resumed[2]}`);
        if (target === null) {
          assert.match(run.out, /done/);
          break;
        }
        assert.equal(run.signal, 'SIGKILL', `the run to be killed at '${target}' ended with ${run.code}`);
        kills++;
      }
      console.log(`  ${kills} SIGKILLs at ${plan.join(', ')}; resumed at (epoch:step) ${resumes.join(', ')}`);
      assert.equal(kills, 10);
      assert.equal(burner.exitCode, null, 'the CPU-heavy neighbour ran throughout');
      // Every resume starts an epoch (per-epoch checkpoints), at the epochs the plan implies.
      assert.deepEqual(resumes, ['1:0', '2:0', '3:0', '4:0', '5:0', '6:0', '7:0', '8:0', '9:0', '10:0']);
      const a = readFileSync(join(refDir, 'final.bin')),
        b = readFileSync(join(crashDir, 'final.bin'));
      assert.ok(a.length > 0 && a.equals(b), 'final weights differ from the uninterrupted run');
      assert.deepEqual(
        JSON.parse(readFileSync(join(crashDir, 'history.json'), 'utf8')),
        JSON.parse(readFileSync(join(refDir, 'history.json'), 'utf8')),
      );
    } finally {
      burner.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    }
  },
);
