/**
 * Element-wise closeness for tests: |actual − expected| ≤ atol + rtol·|expected|
 * at every index, reporting the worst index when it fails.
 */
import assert from 'node:assert/strict';

export interface Tolerance { rtol?: number; atol?: number }

/** Flattens nested number arrays (fixture JSON) into one array. */
export function flat(values: unknown): number[] {
  if (typeof values === 'number') return [values];
  if (ArrayBuffer.isView(values)) return Array.from(values as unknown as ArrayLike<number>);
  if (!Array.isArray(values)) throw new Error(`flat: expected numbers or nested arrays; received ${typeof values}`);
  return values.flatMap((v) => flat(v));
}

/** The worst violation of the tolerance, or null when everything is close. */
export function worstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance = {}):
  { index: number; actual: number; expected: number; excess: number } | null {
  const rtol = tol.rtol ?? 1e-5, atol = tol.atol ?? 1e-7;
  let worst: { index: number; actual: number; expected: number; excess: number } | null = null;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    const allowed = atol + rtol * Math.abs(e);
    const err = Math.abs(a - e);
    const bad = !(err <= allowed) || Number.isNaN(a) !== Number.isNaN(e);
    if (bad && (worst === null || err - allowed > worst.excess || Number.isNaN(err))) worst = { index: i, actual: a, expected: e, excess: err - allowed };
  }
  return worst;
}

export function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance = {}, what = 'values'): void {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} ≠ expected ${expected.length}`);
  const w = worstMismatch(actual, expected, tol);
  if (w !== null) {
    assert.fail(`${what}: index ${w.index}: got ${w.actual}, expected ${w.expected} (|diff| ${Math.abs(w.actual - w.expected).toExponential(3)}, rtol ${tol.rtol ?? 1e-5}, atol ${tol.atol ?? 1e-7})`);
  }
}

export function assertClose(actual: number, expected: number, tol: Tolerance = {}, what = 'value'): void {
  assertAllClose([actual], [expected], tol, what);
}
