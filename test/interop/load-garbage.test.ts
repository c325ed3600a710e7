/**
 * loadModel refuses models that would compute garbage (issue 19, defect 7): a BatchNormalization whose
 * moving_variance is negative, an absurd epsilon, the same shard listed twice, a shard that is a symlink leaving
 * the model folder; and a 100,000-deep model.json ends in a plain Error (defect 8).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sequential, layers, setSeed, loadModel, saveModel } from '../../src/index.js';

async function savedModel(dir: string): Promise<{ doc: Record<string, any>; shard: string }> {
  setSeed(7);
  const model = new Sequential([
    new layers.Dense(3, { inputShape: [2] }),
    new layers.BatchNormalization(),
    new layers.Dense(2, { activation: 'softmax' }),
  ]);
  await saveModel(model, dir);
  const doc = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, any>;
  return { doc, shard: doc.weightsManifest[0].paths[0] as string };
}

const plainError = (pattern: RegExp) => (e: Error) => e.constructor === Error && pattern.test(e.message);

test('a BatchNormalization moving_variance below zero is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-garbage-'));
  try {
    const { doc, shard } = await savedModel(dir);
    const bytes = readFileSync(join(dir, shard));
    const f32 = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    // Weights in manifest order: kernel [2,3], bias [3], gamma, beta, moving_mean, moving_variance [3] each.
    const specs = doc.weightsManifest[0].weights as { name: string; shape: number[] }[];
    let offset = 0;
    for (const s of specs) {
      const size = s.shape.reduce((a, b) => a * b, 1);
      if (s.name.endsWith('moving_variance')) f32[offset + 1] = -0.5;
      offset += size;
    }
    writeFileSync(join(dir, shard), bytes);
    await assert.rejects(loadModel(dir), plainError(/moving_variance.*-0\.5.*negative|moving_variance.*≥ 0/));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an absurd BatchNormalization epsilon is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-garbage-'));
  try {
    await savedModel(dir);
    const text = readFileSync(join(dir, 'model.json'), 'utf8');
    for (const eps of ['1e999', '1e300', '0']) {
      writeFileSync(join(dir, 'model.json'), text.replace(/"epsilon":\s*[0-9.e-]+/, `"epsilon": ${eps}`));
      await assert.rejects(loadModel(dir), plainError(/epsilon/), eps);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the same shard listed twice, and a shard symlinked out of the folder, are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-garbage-'));
  const outside = mkdtempSync(join(tmpdir(), 'keel-outside-'));
  try {
    const { doc, shard } = await savedModel(dir);
    const bytes = readFileSync(join(dir, shard));
    // Split the shard in two halves listed as [a, a] where a holds the first half: sizes add up only if a = b.
    const half = bytes.length / 2;
    writeFileSync(join(dir, 'a.bin'), bytes.subarray(0, half));
    const twice = structuredClone(doc);
    twice.weightsManifest[0].paths = ['a.bin', 'a.bin'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(twice));
    await assert.rejects(loadModel(dir), plainError(/a\.bin.*(twice|more than once)/));
    // A symlink to a file outside the model folder.
    renameSync(join(dir, shard), join(outside, 'weights.bin'));
    symlinkSync(join(outside, 'weights.bin'), join(dir, shard));
    writeFileSync(join(dir, 'model.json'), JSON.stringify(doc));
    await assert.rejects(loadModel(dir), plainError(/outside the model folder|symlink/));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('a 100,000-deep model.json ends in a plain Error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-garbage-'));
  try {
    writeFileSync(join(dir, 'model.json'), `{"modelTopology": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    await assert.rejects(loadModel(dir), (e: Error) => e.constructor === Error && e.message.includes('model.json'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
