import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageSet } from './image-cache.js';
import { decodeImageSet, encodeImageSet, fnv1a, readImageCache, writeImageCache } from './image-cache.js';

const set: ImageSet = {
  pixels: Uint8Array.from({ length: 5 * 6 }, (_, i) => (i * 37) & 255),
  labels: Uint8Array.from([0, 1, 2, 0, 1]),
  numTrain: 3,
  numTest: 2,
  featureSize: 6,
};

const dir = mkdtempSync(join(tmpdir(), 'keel-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('FNV-1a matches the published test vectors', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  assert.equal(fnv1a(enc('')), 0x811c9dc5);
  assert.equal(fnv1a(enc('a')), 0xe40c292c);
  assert.equal(fnv1a(enc('foobar')), 0xbf9cf968);
});

test('round trip through a file; written atomically with no temporary left behind', () => {
  const path = join(dir, 'sub', 'set.bin');
  writeImageCache(path, set, 42);
  assert.deepEqual(readdirSync(join(dir, 'sub')), ['set.bin']);
  const back = readImageCache(path, 42);
  assert.notEqual(typeof back, 'string');
  const s = back as ImageSet;
  assert.deepEqual([s.numTrain, s.numTest, s.featureSize], [3, 2, 6]);
  assert.deepEqual(s.pixels, set.pixels);
  assert.deepEqual(s.labels, set.labels);
  assert.equal(readImageCache(join(dir, 'nope.bin'), 42), 'missing');
});

test('every kind of damage is detected', () => {
  const good = encodeImageSet(set, 7);
  assert.notEqual(typeof decodeImageSet(good, 7), 'string');
  const flipped = good.slice();
  flipped[40]! ^= 1;
  assert.equal(decodeImageSet(flipped, 7), 'checksum mismatch');
  const label = good.slice();
  label[label.length - 1]! ^= 4;
  assert.equal(decodeImageSet(label, 7), 'checksum mismatch');
  assert.match(decodeImageSet(good.subarray(0, good.length - 1), 7) as string, /^length/);
  assert.match(decodeImageSet(good.subarray(0, 10), 7) as string, /too short/);
  const magic = good.slice();
  magic[0] = 0;
  assert.equal(decodeImageSet(magic, 7), 'bad magic');
  assert.equal(decodeImageSet(good, 8), 'made from a different source');
  const version = good.slice();
  version[8] = 99;
  assert.match(decodeImageSet(version, 7) as string, /format version 99/);
});

test('a truncated file on disk reads as invalid, not as data', () => {
  const path = join(dir, 'set.bin');
  writeImageCache(path, set, 1);
  truncateSync(path, readFileSync(path).length - 3);
  assert.match(readImageCache(path, 1) as string, /^length/);
  writeFileSync(path, '');
  assert.match(readImageCache(path, 1) as string, /too short/);
});
