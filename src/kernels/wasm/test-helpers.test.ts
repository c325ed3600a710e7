/** Shared helpers for the wasm backend tests. Named *.test.ts only so that the build leaves it out of dist/; it holds no tests. */
import assert from 'node:assert/strict';

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

/**
 * Assert |actual − expected| ≤ atol + rtol·|expected| (or per-element `bound`)
 * elementwise; infinities and NaN must match exactly.
 */
export function assertClose(
  actual: Float32Array, expected: Float32Array, n: number, what: string,
  { atol = 1e-6, rtol = 2e-6, bound }: { atol?: number; rtol?: number; bound?: Float32Array } = {},
): void {
  for (let i = 0; i < n; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) assert.fail(`${what}[${i}]: got ${a}, want ${e}`);
      continue;
    }
    const tol = bound !== undefined ? atol + bound[i]! : atol + rtol * Math.abs(e);
    if (!(Math.abs(a - e) <= tol)) assert.fail(`${what}[${i}]: got ${a}, want ${e} (tol ${tol})`);
  }
}
