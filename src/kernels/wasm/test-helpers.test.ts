/** Shared helpers for the wasm backend tests. Named *.test.ts only so that the build leaves it out of dist/; it holds
 * no tests. */

import { createWasmBackend, type WasmBackend } from './index.js';

/** Deterministic uniform numbers in [-1, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

export function randomArray(n: number, rand: () => number, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rand() * scale;
  return a;
}

/** Copy `src` into `dst` (e.g. a wasm view) and return dst. */
export function fillFrom(dst: Float32Array, src: Float32Array): Float32Array {
  dst.set(src);
  return dst;
}

/** A two-thread backend whose threads run (a large matmul starts them): element-wise passes split from then on. */
export function startedThreads(): WasmBackend {
  const threaded = createWasmBackend({ threads: 2 });
  const big = threaded.allocate(256 * 256);
  threaded.matmul(big, big, threaded.allocate(256 * 256), 256, 256, 256, false, false, false);
  if (!threaded.threadsStarted) throw new Error('startedThreads: the helper threads did not start');
  return threaded;
}
