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
export function scaledAdd(y: usize, x: usize, alpha: f32, n: i32): bool {
  const a = f32x4.splat(alpha);
  const bytes = <usize>n * 4;
  let o: usize = 0;
  // Σ (r − r) over the results is 0 exactly when every one is finite (see firstNonFinite): the training loop's
  // check of the updated weights, fused into the update's own pass.
  let check = f32x4.splat(0);
  for (; o + 16 <= bytes; o += 16) {
    const r = f32x4.add(v128.load(y + o), f32x4.mul(a, v128.load(x + o)));
    v128.store(y + o, r);
    check = f32x4.add(check, f32x4.sub(r, r));
  }
  let tail: f32 = 0;
  for (; o < bytes; o += 4) {
    const r = load<f32>(y + o) + alpha * load<f32>(x + o);
    store<f32>(y + o, r);
    tail += r - r;
  }
  return !v128.any_true(f32x4.ne(check, check)) && tail == tail;
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

/**
 * The flat index (r·ld + j) of the first NaN/±Inf in rows [0, rows) × columns [0, cols) of a matrix whose rows
 * are ld floats apart, or -1: a thread's slab of a matmul's C, scanned right after the slab is computed.
 */
export function firstNonFiniteBlock(x: usize, ld: i32, rows: i32, cols: i32): i32 {
  if (cols == ld) return firstNonFinite(x, rows * cols);
  for (let r = 0; r < rows; r++) {
    const i = firstNonFinite(x + <usize>r * <usize>ld * 4, cols);
    if (i >= 0) return r * ld + i;
  }
  return -1;
}

// ---------------------------------------------------------------- optimizer updates
// Computed in float64 on the float32 values, each stored result rounded to float32, in the order the JS
// reference (kernels/js/js-backend.ts) writes them, so both backends give the same bits.

/** Two floats at p as float64 lanes. */
// @ts-ignore: decorator
@inline function ld2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** Two float64 lanes rounded to float32 and stored at p. */
// @ts-ignore: decorator
@inline function st2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

/** The first moment's update for two lanes at m: m ← m + (g − m)·c1 (Adam, Adamax, Nadam). */
// @ts-ignore: decorator
@inline function firstMoment(gi: v128, m: usize, C1: v128): void {
  st2(m, f64x2.add(ld2(m), f64x2.mul(f64x2.sub(gi, ld2(m)), C1)));
}

/** Both moments' updates for two lanes: m as firstMoment; v ← v + (g² − v)·c2 (Adam, Nadam). */
// @ts-ignore: decorator
@inline function moments(gi: v128, m: usize, v: usize, C1: v128, C2: v128): void {
  firstMoment(gi, m, C1);
  st2(v, f64x2.add(ld2(v), f64x2.mul(f64x2.sub(f64x2.mul(gi, gi), ld2(v)), C2)));
}

/**
 * Adam (Keras 3 form) on n elements: m ← m + (g − m)·c1; v ← v + (g² − v)·c2; with AMSGrad (vhat ≠ 0)
 * vhat ← max(vhat, v) and d = vhat, else d = v; w ← w − alpha·m/(√d + eps).
 */
export function adamUpdate(
  w: usize, g: usize, m: usize, v: usize, vhat: usize, n: i32, alpha: f64, c1: f64, c2: f64, eps: f64,
): void {
  const A = f64x2.splat(alpha), C1 = f64x2.splat(c1), C2 = f64x2.splat(c2), E = f64x2.splat(eps);
  const bytes = <usize>n * 4;
  let o: usize = 0;
  for (; o + 8 <= bytes; o += 8) {
    const gi = ld2(g + o);
    moments(gi, m + o, v + o, C1, C2);
    let d = ld2(v + o);
    if (vhat != 0) {
      st2(vhat + o, f64x2.max(ld2(vhat + o), d));
      d = ld2(vhat + o);
    }
    st2(w + o, f64x2.sub(ld2(w + o), f64x2.div(f64x2.mul(A, ld2(m + o)), f64x2.add(f64x2.sqrt(d), E))));
  }
  for (; o < bytes; o += 4) {
    const gi = <f64>load<f32>(g + o);
    const mi = <f64>load<f32>(m + o), vi = <f64>load<f32>(v + o);
    store<f32>(m + o, <f32>(mi + (gi - mi) * c1));
    store<f32>(v + o, <f32>(vi + (gi * gi - vi) * c2));
    let d = <f64>load<f32>(v + o);
    if (vhat != 0) {
      store<f32>(vhat + o, <f32>Math.max(<f64>load<f32>(vhat + o), d));
      d = <f64>load<f32>(vhat + o);
    }
    store<f32>(w + o, <f32>(<f64>load<f32>(w + o) - (alpha * <f64>load<f32>(m + o)) / (Math.sqrt(d) + eps)));
  }
}

/**
 * SGD with momentum on n elements: u = mu·v − lr·g (float64, unrounded); v ← u; w ← w + u, or with Nesterov
 * w ← w + (mu·u − lr·g).
 */
export function momentumUpdate(w: usize, g: usize, v: usize, n: i32, lr: f64, mu: f64, nesterov: bool): void {
  const L = f64x2.splat(lr), M = f64x2.splat(mu);
  const bytes = <usize>n * 4;
  let o: usize = 0;
  for (; o + 8 <= bytes; o += 8) {
    const lg = f64x2.mul(L, ld2(g + o));
    const u = f64x2.sub(f64x2.mul(M, ld2(v + o)), lg);
    st2(v + o, u);
    st2(w + o, f64x2.add(ld2(w + o), nesterov ? f64x2.sub(f64x2.mul(M, u), lg) : u));
  }
  for (; o < bytes; o += 4) {
    const lg = lr * <f64>load<f32>(g + o);
    const u = mu * <f64>load<f32>(v + o) - lg;
    store<f32>(v + o, <f32>u);
    store<f32>(w + o, <f32>(<f64>load<f32>(w + o) + (nesterov ? mu * u - lg : u)));
  }
}

/**
 * RMSprop (Keras 3 form) on n elements, c = 1 − rho: v ← rho·v + c·g·g; d = v, or centered
 * (avg ≠ 0) avg ← rho·avg + c·g and d = v − avg²; u = lr·g/√(d + eps); with momentum (mom ≠ 0)
 * mom ← mu·mom + u and w ← w − mom, else w ← w − u.
 */
export function rmspropUpdate(
  w: usize, g: usize, v: usize, mom: usize, avg: usize, n: i32, lr: f64, rho: f64, mu: f64, eps: f64,
): void {
  const c = 1 - rho;
  const L = f64x2.splat(lr), R = f64x2.splat(rho), C = f64x2.splat(c), M = f64x2.splat(mu), E = f64x2.splat(eps);
  const bytes = <usize>n * 4;
  let o: usize = 0;
  for (; o + 8 <= bytes; o += 8) {
    const gi = ld2(g + o);
    st2(v + o, f64x2.add(f64x2.mul(R, ld2(v + o)), f64x2.mul(f64x2.mul(C, gi), gi)));
    let d = ld2(v + o);
    if (avg != 0) {
      st2(avg + o, f64x2.add(f64x2.mul(R, ld2(avg + o)), f64x2.mul(C, gi)));
      const a = ld2(avg + o);
      d = f64x2.sub(d, f64x2.mul(a, a));
    }
    const u = f64x2.div(f64x2.mul(L, gi), f64x2.sqrt(f64x2.add(d, E)));
    if (mom != 0) {
      st2(mom + o, f64x2.add(f64x2.mul(M, ld2(mom + o)), u));
      st2(w + o, f64x2.sub(ld2(w + o), ld2(mom + o)));
    } else st2(w + o, f64x2.sub(ld2(w + o), u));
  }
  for (; o < bytes; o += 4) {
    const gi = <f64>load<f32>(g + o);
    store<f32>(v + o, <f32>(rho * <f64>load<f32>(v + o) + c * gi * gi));
    let d = <f64>load<f32>(v + o);
    if (avg != 0) {
      store<f32>(avg + o, <f32>(rho * <f64>load<f32>(avg + o) + c * gi));
      const a = <f64>load<f32>(avg + o);
      d -= a * a;
    }
    const u = (lr * gi) / Math.sqrt(d + eps);
    if (mom != 0) {
      store<f32>(mom + o, <f32>(mu * <f64>load<f32>(mom + o) + u));
      store<f32>(w + o, <f32>(<f64>load<f32>(w + o) - <f64>load<f32>(mom + o)));
    } else store<f32>(w + o, <f32>(<f64>load<f32>(w + o) - u));
  }
}

/** Adagrad on n elements: a ← a + g²; w ← w − lr·g/√(a + eps). */
export function adagradUpdate(w: usize, g: usize, a: usize, n: i32, lr: f64, eps: f64): void {
  const L = f64x2.splat(lr), E = f64x2.splat(eps);
  const bytes = <usize>n * 4;
  let o: usize = 0;
  for (; o + 8 <= bytes; o += 8) {
    const gi = ld2(g + o);
    st2(a + o, f64x2.add(ld2(a + o), f64x2.mul(gi, gi)));
    st2(w + o, f64x2.sub(ld2(w + o), f64x2.div(f64x2.mul(L, gi), f64x2.sqrt(f64x2.add(ld2(a + o), E)))));
  }
  for (; o < bytes; o += 4) {
    const gi = <f64>load<f32>(g + o);
    store<f32>(a + o, <f32>(<f64>load<f32>(a + o) + gi * gi));
    store<f32>(w + o, <f32>(<f64>load<f32>(w + o) - (lr * gi) / Math.sqrt(<f64>load<f32>(a + o) + eps)));
  }
}

/**
 * Adadelta on n elements, c = 1 − rho: ag ← rho·ag + c·g·g; δ = −(√(ad + eps)·g)/√(ag + eps);
 * ad ← rho·ad + c·δ·δ; w ← w + lr·δ (δ unrounded).
 */
export function adadeltaUpdate(w: usize, g: usize, ag: usize, ad: usize, n: i32, lr: f64, rho: f64, eps: f64): void {
  const c = 1 - rho;
  const L = f64x2.splat(lr), R = f64x2.splat(rho), C = f64x2.splat(c), E = f64x2.splat(eps);
  const bytes = <usize>n * 4;
  let o: usize = 0;
  for (; o + 8 <= bytes; o += 8) {
    const gi = ld2(g + o);
    st2(ag + o, f64x2.add(f64x2.mul(R, ld2(ag + o)), f64x2.mul(f64x2.mul(C, gi), gi)));
    const num = f64x2.mul(f64x2.sqrt(f64x2.add(ld2(ad + o), E)), gi);
    const delta = f64x2.div(f64x2.neg(num), f64x2.sqrt(f64x2.add(ld2(ag + o), E)));
    st2(ad + o, f64x2.add(f64x2.mul(R, ld2(ad + o)), f64x2.mul(f64x2.mul(C, delta), delta)));
    st2(w + o, f64x2.add(ld2(w + o), f64x2.mul(L, delta)));
  }
  for (; o < bytes; o += 4) {
    const gi = <f64>load<f32>(g + o);
    store<f32>(ag + o, <f32>(rho * <f64>load<f32>(ag + o) + c * gi * gi));
    const delta = -(Math.sqrt(<f64>load<f32>(ad + o) + eps) * gi) / Math.sqrt(<f64>load<f32>(ag + o) + eps);
    store<f32>(ad + o, <f32>(rho * <f64>load<f32>(ad + o) + c * delta * delta));
    store<f32>(w + o, <f32>(<f64>load<f32>(w + o) + lr * delta));
  }
}

/** Adamax on n elements: m ← m + (g − m)·c1; u ← max(b2·u, |g|); w ← w − lr·m/(corr·(u + eps)). */
export function adamaxUpdate(
  w: usize, g: usize, m: usize, u: usize, n: i32, lr: f64, c1: f64, b2: f64, corr: f64, eps: f64,
): void {
  const L = f64x2.splat(lr), C1 = f64x2.splat(c1), B2 = f64x2.splat(b2), K = f64x2.splat(corr), E = f64x2.splat(eps);
  const bytes = <usize>n * 4;
  let o: usize = 0;
  for (; o + 8 <= bytes; o += 8) {
    const gi = ld2(g + o);
    firstMoment(gi, m + o, C1);
    st2(u + o, f64x2.max(f64x2.mul(B2, ld2(u + o)), f64x2.abs(gi)));
    const den = f64x2.mul(K, f64x2.add(ld2(u + o), E));
    st2(w + o, f64x2.sub(ld2(w + o), f64x2.div(f64x2.mul(L, ld2(m + o)), den)));
  }
  for (; o < bytes; o += 4) {
    const gi = <f64>load<f32>(g + o);
    const mi = <f64>load<f32>(m + o);
    store<f32>(m + o, <f32>(mi + (gi - mi) * c1));
    store<f32>(u + o, <f32>Math.max(b2 * <f64>load<f32>(u + o), Math.abs(gi)));
    const den = corr * (<f64>load<f32>(u + o) + eps);
    store<f32>(w + o, <f32>(<f64>load<f32>(w + o) - (lr * <f64>load<f32>(m + o)) / den));
  }
}

/** Math.sign on two float64 lanes: 1 or −1, and ±0 and NaN as they are. */
// @ts-ignore: decorator
@inline function sign2(x: v128): v128 {
  const one = f64x2.splat(1);
  const pos = f64x2.gt(x, f64x2.splat(0)), neg = f64x2.lt(x, f64x2.splat(0));
  return v128.bitselect(one, v128.bitselect(f64x2.neg(one), x, neg), pos);
}

/** Lion on n elements: w ← w − lr·sign(m·b1 + g·(1 − b1)); m ← m·b2 + g·(1 − b2). */
export function lionUpdate(w: usize, g: usize, m: usize, n: i32, lr: f64, b1: f64, b2: f64): void {
  const c1 = 1 - b1, c2 = 1 - b2;
  const L = f64x2.splat(lr), B1 = f64x2.splat(b1), B2 = f64x2.splat(b2), C1 = f64x2.splat(c1), C2 = f64x2.splat(c2);
  const bytes = <usize>n * 4;
  let o: usize = 0;
  for (; o + 8 <= bytes; o += 8) {
    const gi = ld2(g + o), mi = ld2(m + o);
    const s = sign2(f64x2.add(f64x2.mul(mi, B1), f64x2.mul(gi, C1)));
    st2(w + o, f64x2.sub(ld2(w + o), f64x2.mul(L, s)));
    st2(m + o, f64x2.add(f64x2.mul(mi, B2), f64x2.mul(gi, C2)));
  }
  for (; o < bytes; o += 4) {
    const gi = <f64>load<f32>(g + o), mi = <f64>load<f32>(m + o);
    const x = mi * b1 + gi * c1;
    const s = x > 0 ? 1.0 : x < 0 ? -1.0 : x;
    store<f32>(w + o, <f32>(<f64>load<f32>(w + o) - lr * s));
    store<f32>(m + o, <f32>(mi * b2 + gi * c2));
  }
}

/** Decoupled weight decay on n elements: w ← w − w·decay. */
export function weightDecay(w: usize, n: i32, decay: f64): void {
  const D = f64x2.splat(decay);
  const bytes = <usize>n * 4;
  let o: usize = 0;
  for (; o + 8 <= bytes; o += 8) {
    const wi = ld2(w + o);
    st2(w + o, f64x2.sub(wi, f64x2.mul(wi, D)));
  }
  for (; o < bytes; o += 4) {
    const wi = <f64>load<f32>(w + o);
    store<f32>(w + o, <f32>(wi - wi * decay));
  }
}

/**
 * Nadam on n elements: m ← m + (g − m)·c1; v ← v + (g² − v)·c2;
 * w ← w − lr·(uNext·m/d1 + cT·g/d2)/(√(v/vCorr) + eps).
 */
export function nadamUpdate(
  w: usize, g: usize, m: usize, v: usize, n: i32,
  lr: f64, c1: f64, c2: f64, uNext: f64, d1: f64, cT: f64, d2: f64, vCorr: f64, eps: f64,
): void {
  const L = f64x2.splat(lr), C1 = f64x2.splat(c1), C2 = f64x2.splat(c2), U = f64x2.splat(uNext);
  const D1 = f64x2.splat(d1), CT = f64x2.splat(cT), D2 = f64x2.splat(d2), VC = f64x2.splat(vCorr);
  const E = f64x2.splat(eps);
  const bytes = <usize>n * 4;
  let o: usize = 0;
  for (; o + 8 <= bytes; o += 8) {
    const gi = ld2(g + o);
    moments(gi, m + o, v + o, C1, C2);
    const mHat = f64x2.add(f64x2.div(f64x2.mul(U, ld2(m + o)), D1), f64x2.div(f64x2.mul(CT, gi), D2));
    const den = f64x2.add(f64x2.sqrt(f64x2.div(ld2(v + o), VC)), E);
    st2(w + o, f64x2.sub(ld2(w + o), f64x2.div(f64x2.mul(L, mHat), den)));
  }
  for (; o < bytes; o += 4) {
    const gi = <f64>load<f32>(g + o);
    const mi = <f64>load<f32>(m + o), vi = <f64>load<f32>(v + o);
    store<f32>(m + o, <f32>(mi + (gi - mi) * c1));
    store<f32>(v + o, <f32>(vi + (gi * gi - vi) * c2));
    const mHat = (uNext * <f64>load<f32>(m + o)) / d1 + (cT * gi) / d2;
    const den = Math.sqrt(<f64>load<f32>(v + o) / vCorr) + eps;
    store<f32>(w + o, <f32>(<f64>load<f32>(w + o) - (lr * mHat) / den));
  }
}

/** use_ema's moving average on n elements: average ← momentum·average + complement·w. */
export function emaUpdate(average: usize, w: usize, n: i32, momentum: f64, complement: f64): void {
  const M = f64x2.splat(momentum), C = f64x2.splat(complement);
  const bytes = <usize>n * 4;
  let o: usize = 0;
  for (; o + 8 <= bytes; o += 8) {
    st2(average + o, f64x2.add(f64x2.mul(M, ld2(average + o)), f64x2.mul(C, ld2(w + o))));
  }
  for (; o < bytes; o += 4) {
    store<f32>(average + o, <f32>(momentum * <f64>load<f32>(average + o) + complement * <f64>load<f32>(w + o)));
  }
}
