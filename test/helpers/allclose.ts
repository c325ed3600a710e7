/**
 * Element-wise closeness for tests, the one helper every test uses:
 * |actual − expected| ≤ atol + rtol·|expected| (or atol + bound[i]) at every index,
 * reporting the worst index when it fails. A non-finite expected value (±Infinity, NaN)
 * must be matched exactly; NaN matches NaN.
 */
import assert from 'node:assert/strict';

export interface Tolerance {
  rtol?: number;
  atol?: number;
  /** A per-element error bound used instead of rtol·|expected| (e.g. a matmul's rounding bound). */
  bound?: ArrayLike<number>;
}

/** Flattens nested number arrays (fixture JSON) into one array. */
export function flat(values: unknown): number[] {
  if (typeof values === 'number') return [values];
  if (ArrayBuffer.isView(values)) return Array.from(values as unknown as ArrayLike<number>);
  if (!Array.isArray(values)) throw new Error(`flat: expected numbers or nested arrays; received ${typeof values}`);
  return values.flatMap((v) => flat(v));
}

export interface Mismatch {
  index: number;
  actual: number;
  expected: number;
  excess: number;
}

/** The worst violation of the tolerance over the first `n` elements, or null when everything is close. */
export function worstMismatch(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance = {},
  n = expected.length,
): Mismatch | null {
  const rtol = tol.rtol ?? 1e-5,
    atol = tol.atol ?? 1e-7;
  let worst: Mismatch | null = null;
  for (let i = 0; i < n; i++) {
    const a = actual[i]!,
      e = expected[i]!;
    if (a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    const allowed = tol.bound !== undefined ? atol + tol.bound[i]! : atol + rtol * Math.abs(e);
    const err = Math.abs(a - e);
    const bad = !Number.isFinite(e) || !(err <= allowed);
    if (bad && (worst === null || err - allowed > worst.excess || Number.isNaN(err))) {
      worst = { index: i, actual: a, expected: e, excess: err - allowed };
    }
  }
  return worst;
}

function fail(what: string, w: Mismatch, tol: Tolerance & { rtol: number; atol: number }): never {
  const diff = Math.abs(w.actual - w.expected).toExponential(3);
  const allowed = tol.bound !== undefined ? `bound[${w.index}] ${tol.bound[w.index]}` : `rtol ${tol.rtol}`;
  const got = `got ${w.actual}, expected ${w.expected}`;
  assert.fail(`${what}: index ${w.index}: ${got} (|diff| ${diff}, ${allowed}, atol ${tol.atol})`);
}

/** Two arrays of the same length, close at every index (defaults rtol 1e-5, atol 1e-7). */
export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance = {},
  what = 'values',
): void {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} ≠ expected ${expected.length}`);
  const t = { ...tol, rtol: tol.rtol ?? 1e-5, atol: tol.atol ?? 1e-7 };
  const w = worstMismatch(actual, expected, t);
  if (w !== null) fail(what, w, t);
}

/**
 * The first `n` elements of two buffers (e.g. a kernel's output in a larger wasm view against the JS
 * reference). Defaults rtol 2e-6, atol 1e-6: float32 kernels against their float32 reference.
 */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  n: number,
  what: string,
  tol: Tolerance = {},
): void {
  const lengths = `${actual.length} and ${expected.length}`;
  assert.ok(actual.length >= n && expected.length >= n, `${what}: ${n} elements asked of arrays of length ${lengths}`);
  const t = { ...tol, rtol: tol.rtol ?? 2e-6, atol: tol.atol ?? 1e-6 };
  const w = worstMismatch(actual, expected, t, n);
  if (w !== null) fail(what, w, t);
}
