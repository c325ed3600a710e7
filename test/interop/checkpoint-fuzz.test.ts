/**
 * Checkpoint files against damage (issue 19, defect 4 and the fuzz): the checksum covers the JSON header as well
 * as the tensor data, so every single-bit flip anywhere in the header is refused before anything is restored; a
 * version 1 file (checksum of the data only) is still read; and seeded mutations of the header's JSON, written
 * back with a valid checksum, end in a checkpoint that loads or in a plain Error naming the file — never a
 * TypeError/RangeError. Cases come from Keel's seeded generator: case i is replayable from its index.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setSeed, Random } from '../../src/index.js';
import { ModelCheckpoint, loadCheckpoint, CHECKPOINT_FILE } from '../../src/nn/checkpoint/index.js';
import { makeData, makeModel } from '../helpers/train-with-checkpoint.js';

const FEATURES = 6;

/** FNV-1a, 32 bit (the closed form the format documents). */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

/** A real mid-training checkpoint (position, optimizer, history, dropout generators), as bytes. */
async function makeCheckpoint(dir: string): Promise<Buffer> {
  setSeed(19);
  const { x, y } = makeData(96, FEATURES);
  const model = makeModel(FEATURES);
  await model.fit(x, y, {
    epochs: 2,
    batchSize: 16,
    validationSplit: 0.25,
    verbose: 0,
    callbacks: [new ModelCheckpoint({ filepath: dir, saveFreq: 7 })],
  });
  return readFileSync(join(dir, CHECKPOINT_FILE));
}

function parts(file: Buffer): {
  start: number;
  headerLength: number;
  json: Record<string, unknown>;
  dataStart: number;
} {
  const headerLength = file.readUInt32LE(12);
  const start = file.readUInt32LE(8) === 1 ? 16 : 20;
  const json = JSON.parse(file.subarray(start, start + headerLength).toString('utf8')) as Record<string, unknown>;
  return { start, headerLength, json, dataStart: Math.ceil((start + headerLength) / 4) * 4 };
}

/** A version 2 file with `json` as its header, the original data and a valid checksum. */
function rewrite(file: Buffer, json: unknown): Buffer {
  const { dataStart } = parts(file);
  const text = Buffer.from(JSON.stringify(json), 'utf8');
  const start = Math.ceil((20 + text.length) / 4) * 4;
  const out = Buffer.alloc(start + file.length - dataStart);
  file.copy(out, 0, 0, 16);
  out.writeUInt32LE(text.length, 12);
  text.copy(out, 20);
  file.copy(out, start, dataStart);
  out.writeUInt32LE(fnv1a(out.subarray(20)), 16);
  return out;
}

async function outcome(dir: string, bytes: Buffer): Promise<'loaded' | Error> {
  writeFileSync(join(dir, CHECKPOINT_FILE), bytes);
  setSeed(1);
  const model = makeModel(FEATURES);
  model.build([FEATURES]);
  try {
    await loadCheckpoint(dir, model);
    return 'loaded';
  } catch (e) {
    return e as Error;
  }
}

test('every single-bit flip in a checkpoint header is refused, and an edited learning rate too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-fuzz-'));
  try {
    const good = await makeCheckpoint(dir);
    assert.equal(await outcome(dir, good), 'loaded');
    const { start, headerLength, json } = parts(good);
    const rng = new Random(419);
    const FLIPS = 1000;
    let refused = 0;
    for (let i = 0; i < FLIPS; i++) {
      const bit = Math.floor(rng.uniform() * (start + headerLength) * 8);
      const bad = Buffer.from(good);
      bad[bit >> 3]! ^= 1 << (bit & 7);
      const r = await outcome(dir, bad);
      assert.ok(r instanceof Error, `flip ${i} (bit ${bit} of the header) was accepted`);
      assert.equal(r.constructor, Error, `flip ${i}: ${r.name}: ${r.message}`);
      assert.match(r.message, /checkpoint\.keel/);
      refused++;
    }
    assert.equal(refused, FLIPS);
    // Editing the learning rate in the file (without the checksum) is refused.
    const text = good.toString('latin1');
    const lr = /"learningRate":([0-9.e-]+)/.exec(text)!;
    const edited = Buffer.from(text.replace(lr[0], `"learningRate":${'9'.repeat(lr[1]!.length)}`), 'latin1');
    assert.match(String(await outcome(dir, edited)), /checksum mismatch/);
    assert.equal(typeof json.tensors, 'object');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a version 1 checkpoint (checksum of the data only) is still read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-v1-'));
  try {
    const good = await makeCheckpoint(dir);
    const { json, dataStart } = parts(good);
    const data = good.subarray(dataStart);
    const text = Buffer.from(JSON.stringify({ ...json, version: 1, checksum: fnv1a(data) }), 'utf8');
    const start = Math.ceil((16 + text.length) / 4) * 4;
    const v1 = Buffer.alloc(start + data.length);
    good.copy(v1, 0, 0, 8);
    v1.writeUInt32LE(1, 8);
    v1.writeUInt32LE(text.length, 12);
    text.copy(v1, 16);
    data.copy(v1, start);
    assert.equal(await outcome(dir, v1), 'loaded');
    v1[v1.length - 2]! ^= 4;
    assert.match(String(await outcome(dir, v1)), /checksum mismatch/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const ODD: unknown[] = [null, true, -1, 0, 1.5, 1e308, -1e308, 2 ** 53, '', 'x', [], {}, [null], { a: 1 }, NaN];

/** Replaces one value somewhere in `doc` (a path drawn by `rng`) with an odd one, or deletes a key. */
function mutate(doc: unknown, rng: Random): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as unknown;
  let node = copy as Record<string, unknown> | unknown[];
  for (let depth = 0; depth < 8; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const k = keys[Math.floor(rng.uniform() * keys.length)]!;
    const child = (node as Record<string, unknown>)[k];
    const stop = rng.uniform() < 0.3 || typeof child !== 'object' || child === null;
    if (stop) {
      if (rng.uniform() < 0.15 && !Array.isArray(node)) delete (node as Record<string, unknown>)[k];
      else (node as Record<string, unknown>)[k] = ODD[Math.floor(rng.uniform() * ODD.length)];
      break;
    }
    node = child as Record<string, unknown>;
  }
  return copy;
}

test('fuzz: 1,500 mutated checkpoint headers (valid checksum) load or fail with a plain Error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-ckpt-fuzz-'));
  try {
    const good = await makeCheckpoint(dir);
    const { json } = parts(good);
    const CASES = 1500;
    let loaded = 0;
    for (let i = 0; i < CASES; i++) {
      const rng = new Random(1_900_000 + i);
      let doc: unknown = json;
      const n = 1 + Math.floor(rng.uniform() * 3);
      for (let m = 0; m < n; m++) doc = mutate(doc, rng);
      const r = await outcome(dir, rewrite(good, doc));
      if (r === 'loaded') loaded++;
      else assert.equal(r.constructor, Error, `case ${i}: ${r.name}: ${r.message}`);
    }
    console.log(`  ${CASES} mutated headers: ${loaded} loaded, ${CASES - loaded} refused with a plain Error`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
