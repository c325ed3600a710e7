// Whole-vector kernels used once per variable per step: the SGD-style update
// y += alpha·x and the NaN/Inf scan the training loop runs on weights and gradients.

/** out[i] = a[i]·b[i] for n elements (out may alias a or b). */
export function multiply(a: usize, b: usize, out: usize, n: i32): void {
  const bytes = <usize>n * 4;
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  for (; o < bytes; o += 4) store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
}

/**
 * Dropout keep mask from xoshiro128** (tensor/rng.ts) with its 4-word state at `state` (advanced in place):
 * out[i] = keep when draw / 2^32 ≥ rate, else 0; the same draws, in the same order, as Random.uniform().
 */
export function keepMask(state: usize, out: usize, n: i32, rate: f64, keep: f32): void {
  let s0 = load<u32>(state), s1 = load<u32>(state, 4), s2 = load<u32>(state, 8), s3 = load<u32>(state, 12);
  for (let i = 0; i < n; i++) {
    const r = rotl<u32>(s1 * 5, 7) * 9;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl<u32>(s3, 11);
    store<f32>(out + (<usize>i << 2), <f64>r / 4294967296.0 >= rate ? keep : 0);
  }
  store<u32>(state, s0);
  store<u32>(state, s1, 4);
  store<u32>(state, s2, 8);
  store<u32>(state, s3, 12);
}

/** y[i] += alpha·x[i] for n elements. */
export function scaledAdd(y: usize, x: usize, alpha: f32, n: i32): void {
  const a = f32x4.splat(alpha);
  const bytes = <usize>n * 4;
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(a, v128.load(x + o))));
  for (; o < bytes; o += 4) store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
}

/**
 * Index of the first NaN/±Inf among n elements, or -1. x − x is 0 for every finite x and NaN otherwise, so
 * blocks of 64 floats are summed that way in four independent accumulators (no branch per vector; the loop
 * runs at load speed) and only a block whose sum is NaN is searched element by element, on the bit pattern
 * (a float is non-finite exactly when its exponent bits are all ones).
 */
export function firstNonFinite(x: usize, n: i32): i32 {
  const bytes = <usize>n * 4;
  let o: usize = 0;
  for (; o + 256 <= bytes; o += 256) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let q: usize = 0; q < 256; q += 64) {
      const p = x + o + q;
      const v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
      a0 = f32x4.add(a0, f32x4.sub(v0, v0)); a1 = f32x4.add(a1, f32x4.sub(v1, v1));
      a2 = f32x4.add(a2, f32x4.sub(v2, v2)); a3 = f32x4.add(a3, f32x4.sub(v3, v3));
    }
    const sum = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
    if (v128.any_true(f32x4.ne(sum, sum))) break;
  }
  for (; o < bytes; o += 4) {
    if ((load<i32>(x + o) & 0x7f800000) == 0x7f800000) return <i32>(o >> 2);
  }
  return -1;
}
