/**
 * Crash test: a training process (test/helpers/train-with-checkpoint.ts, a
 * checkpoint every 3 batches) is killed with SIGKILL at random moments — during
 * steps or in the middle of writing a checkpoint — and restarted each time; it
 * resumes from the last checkpoint. The final weights must equal, bit for bit,
 * those of an uninterrupted run with the same seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '../../src/index.js';

const SCRIPT = join(import.meta.dirname, '..', 'helpers', 'train-with-checkpoint.ts');
const EPOCHS = '8', SAVE_FREQ = '3';

interface Run { code: number | null; signal: NodeJS.Signals | null; out: string }

/** Starts the trainer; if `killAfterMs` is set, SIGKILLs it that long after it prints "training". */
function start(dir: string, killAfterMs: number | null): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, dir, EPOCHS, SAVE_FREQ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    let timer: NodeJS.Timeout | null = null;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAfterMs !== null && timer === null && out.includes('training')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer !== null) clearTimeout(timer);
      if (code !== 0 && signal === null) reject(new Error(`trainer failed (${code}): ${err}`));
      else resolve({ code, signal, out });
    });
  });
}

test('SIGKILLed training resumes from its checkpoints to the same final weights, bit for bit', { timeout: 60_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'keel-crash-'));
  try {
    const refDir = join(root, 'reference'), crashDir = join(root, 'crashed');
    const began = Date.now();
    const reference = await start(refDir, null);
    const referenceMs = Date.now() - began;
    assert.match(reference.out, /fresh[\s\S]*done/);

    const rng = new Random(2024); // kill delays: seeded, so a failure can be replayed
    let kills = 0, midWrite = 0;
    const resumes: string[] = [];
    for (let attempt = 0; attempt < 30; attempt++) {
      // Delays scale with how long this machine takes for the whole run, so kills land
      // mid-training whether the machine is fast or loaded.
      const killAfter = kills < 5 ? Math.floor(20 + rng.uniform() * referenceMs * 0.3) : null;
      const run = await start(crashDir, killAfter);
      const resumed = /resume (\d+) (\d+)/.exec(run.out);
      if (resumed) resumes.push(`${resumed[1]}:${resumed[2]}`);
      if (run.signal === 'SIGKILL') {
        kills++;
        // A leftover temporary file means the kill landed while a checkpoint was being written.
        if (existsSync(join(crashDir, 'ckpt')) && readdirSync(join(crashDir, 'ckpt')).some((n) => n.includes('.tmp-'))) midWrite++;
        continue;
      }
      assert.match(run.out, /done/);
      break;
    }
    console.log(`  ${kills} SIGKILLs (${midWrite} while writing a checkpoint); resumed at (epoch:step) ${resumes.join(', ')}`);
    assert.ok(kills >= 3, `only ${kills} kills landed`);
    assert.ok(resumes.length >= 2, 'restarts after a kill resumed from a checkpoint');
    const a = readFileSync(join(refDir, 'final.bin')), b = readFileSync(join(crashDir, 'final.bin'));
    assert.ok(a.length > 0 && a.equals(b), 'final weights differ from the uninterrupted run');
    assert.deepEqual(JSON.parse(readFileSync(join(crashDir, 'history.json'), 'utf8')), JSON.parse(readFileSync(join(refDir, 'history.json'), 'utf8')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
