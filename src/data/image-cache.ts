import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../io/write-atomic.js';

/**
 * A compact binary copy of an 8-bit image data set (train + test), so the slow
 * JSON parse happens once. Layout, little-endian:
 *
 *   0  "KEELIMG\0"          magic (8 bytes)
 *   8  u32 format version   (FORMAT_VERSION)
 *  12  u32 source fingerprint (a hash of where the data came from: stale → rebuild)
 *  16  u32 numTrain
 *  20  u32 numTest
 *  24  u32 featureSize      (bytes per example)
 *  28  u32 checksum         (FNV-1a over the payload)
 *  32  payload: pixels u8[(numTrain+numTest)·featureSize], then labels u8[numTrain+numTest]
 *
 * Train rows come first, then test rows. Any mismatch (truncation, bit flip,
 * other version or source) makes readImageCache return a reason instead of data.
 */
export interface ImageSet {
  pixels: Uint8Array;
  labels: Uint8Array;
  numTrain: number;
  numTest: number;
  featureSize: number;
}

const MAGIC = 'KEELIMG\0';
const FORMAT_VERSION = 1;
const HEADER_BYTES = 32;

/** 32-bit FNV-1a; cheap enough for ~55 MB in well under 100 ms. */
export function fnv1a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash >>> 0;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

export function fnv1aString(s: string): number {
  return fnv1a(new TextEncoder().encode(s));
}

export function encodeImageSet(set: ImageSet, fingerprint: number): Uint8Array {
  const n = set.numTrain + set.numTest;
  const payloadBytes = n * set.featureSize + n;
  if (set.pixels.length !== n * set.featureSize || set.labels.length !== n) {
    throw new Error('encodeImageSet: array lengths do not match the counts');
  }
  const out = new Uint8Array(HEADER_BYTES + payloadBytes);
  out.set(set.pixels, HEADER_BYTES);
  out.set(set.labels, HEADER_BYTES + set.pixels.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, FORMAT_VERSION, true);
  view.setUint32(12, fingerprint >>> 0, true);
  view.setUint32(16, set.numTrain, true);
  view.setUint32(20, set.numTest, true);
  view.setUint32(24, set.featureSize, true);
  view.setUint32(28, fnv1a(out.subarray(HEADER_BYTES)), true);
  return out;
}

/** The decoded set, or a string saying why the bytes are not a valid cache. */
export function decodeImageSet(bytes: Uint8Array, fingerprint: number): ImageSet | string {
  if (bytes.length < HEADER_BYTES) return `file too short (${bytes.length} bytes)`;
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) return 'bad magic';
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const version = view.getUint32(8, true);
  if (version !== FORMAT_VERSION) return `format version ${version}, expected ${FORMAT_VERSION}`;
  if (view.getUint32(12, true) !== fingerprint >>> 0) return 'made from a different source';
  const numTrain = view.getUint32(16, true);
  const numTest = view.getUint32(20, true);
  const featureSize = view.getUint32(24, true);
  const n = numTrain + numTest;
  const expected = HEADER_BYTES + n * featureSize + n;
  if (bytes.length !== expected) return `length ${bytes.length}, expected ${expected}`;
  const payload = bytes.subarray(HEADER_BYTES);
  if (fnv1a(payload) !== view.getUint32(28, true)) return 'checksum mismatch';
  return {
    pixels: payload.subarray(0, n * featureSize),
    labels: payload.subarray(n * featureSize),
    numTrain,
    numTest,
    featureSize,
  };
}

/** Reads a cache file; returns a reason string if it is missing or invalid. */
export function readImageCache(path: string, fingerprint: number): ImageSet | string {
  let bytes: Uint8Array;
  try {
    const buf = readFileSync(path);
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength); // plain Uint8Array, not Buffer
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : String(e);
  }
  return decodeImageSet(bytes, fingerprint);
}

/**
 * Writes atomically: temporary file in the same directory, fsync, rename.
 * Readers therefore see either the old file or the complete new one, even if
 * two processes build the cache at the same time or one is killed midway.
 */
export function writeImageCache(path: string, set: ImageSet, fingerprint: number): void {
  writeFileAtomic(path, encodeImageSet(set, fingerprint));
}
