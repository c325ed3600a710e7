import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, rngFromState } from './rng.js';

test('xoshiro128** matches the reference C implementation for state {1, 2, 3, 4}', () => {
  // Published first outputs of xoshiro128** (Blackman & Vigna) from s = {1, 2, 3, 4}.
  const rng = rngFromState(1, 2, 3, 4);
  assert.deepEqual([rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32()], [11520, 0, 5927040, 70819200]);
});

test('same seed, same stream; different seeds, different streams', () => {
  const a = createRng(42);
  const b = createRng(42);
  const c = createRng(43);
  const sa = Array.from({ length: 20 }, () => a());
  const sb = Array.from({ length: 20 }, () => b());
  const sc = Array.from({ length: 20 }, () => c());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
});

test('uniform in [0, 1) with the right moments; normal has mean 0 and variance 1', () => {
  const rng = createRng(7);
  const n = 200_000;
  let s = 0,
    s2 = 0,
    lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const u = rng();
    s += u;
    s2 += u * u;
    lo = Math.min(lo, u);
    hi = Math.max(hi, u);
  }
  assert.ok(lo >= 0 && hi < 1);
  assert.ok(Math.abs(s / n - 0.5) < 0.005);
  assert.ok(Math.abs(s2 / n - 1 / 3) < 0.005);

  let m = 0,
    v = 0;
  const z = Array.from({ length: n }, () => rng.normal());
  for (const x of z) m += x / n;
  for (const x of z) v += (x - m) ** 2 / n;
  assert.ok(Math.abs(m) < 0.01, `mean ${m}`);
  assert.ok(Math.abs(v - 1) < 0.01, `variance ${v}`);
});

test('int(n) stays in range and hits every value', () => {
  const rng = createRng(1);
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) {
    const k = rng.int(5);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 5);
    seen.add(k);
  }
  assert.equal(seen.size, 5);
});
