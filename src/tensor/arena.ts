/**
 * A pool of buffers keyed by length, so a training step allocates almost
 * nothing: inside `withArena`, ops take their output buffers from the pool and
 * all of them return to it when the outermost scope ends. Outside a scope,
 * buffers are plain garbage-collected arrays.
 */
import { kernels } from '../kernels/registry.js';

const free = new Map<number, Float32Array[]>();
const taken: Float32Array[] = [];
let depth = 0;
let owner: unknown = null;
/** Counts the outermost scopes that ended: each end lets the pool hand its buffers out again. */
let generation = 0;
const finiteIn = new WeakMap<Float32Array, number>();

/** A buffer of `length` floats with unspecified contents. */
export function alloc(length: number): Float32Array {
  if (depth === 0) return new Float32Array(length);
  if (owner !== kernels()) {
    free.clear();
    owner = kernels();
  }
  const list = free.get(length);
  const buf = list !== undefined && list.length > 0 ? list.pop()! : kernels().allocate(length);
  taken.push(buf);
  return buf;
}

/**
 * Runs `fn` with pooled buffers. Every buffer taken inside is reused after the
 * outermost scope returns, so nothing computed inside may be kept: copy out
 * what must survive (e.g. `tensor.clone()`).
 */
export function withArena<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
    if (depth === 0) {
      generation++;
      for (const buf of taken) {
        let list = free.get(buf.length);
        if (list === undefined) {
          list = [];
          free.set(buf.length, list);
        }
        list.push(buf);
      }
      taken.length = 0;
    }
  }
}

/**
 * Records that `buf` holds no NaN or ±Inf, as the kernel that just wrote it found (matmulScanned), so the
 * training loop's gradient check can skip it (nn/non-finite.ts). The mark lasts until the outermost scope ends,
 * after which the pool may hand `buf` out again. Nothing writes into a gradient buffer after the op that made it
 * (the tape sums a variable's gradients into a fresh buffer), so the mark stays true while it lasts.
 */
export function markFinite(buf: Float32Array): void {
  finiteIn.set(buf, generation);
}

/** Whether `buf` was marked finite (markFinite) since the outermost scope last ended. */
export function knownFinite(buf: Float32Array): boolean {
  return finiteIn.get(buf) === generation;
}
