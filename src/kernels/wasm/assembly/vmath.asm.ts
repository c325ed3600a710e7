// Four-lane float32 transcendental functions (exp, expm1, log1p, sigmoid,
// tanh, erfc) for the activation kernels. Polynomials are the Cephes single
// precision ones (≈1–2 ulp); the compositions are chosen so that no result
// suffers cancellation (e.g. 1 + tanh(u) is computed as 2·sigmoid(2u)).
// NaN propagates through every function.

// @ts-ignore: decorator
@inline export function splat(x: f32): v128 { return f32x4.splat(x); }

/** 2^h for integer lanes h in [-126, 127], built in the exponent field. */
// @ts-ignore: decorator
@inline function pow2i(h: v128): v128 { return i32x4.shl(i32x4.add(h, i32x4.splat(127)), 23); }

// Rounding x·log2(e) to an integer n by adding 1.5·2^23: n lands in the low
// mantissa bits of the sum t, so nf = t − MAGIC and the integer n = bits(t) −
// bits(MAGIC). Cheaper in V8 than f32x4.nearest + i32x4.trunc_sat.
const MAGIC: f32 = 12582912;
const LOG2E: f32 = 1.44269504089;
// ln 2 in two pieces (Cody–Waite) so that r = x − n·ln2 keeps its low bits.
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/** e^x. Overflows to +Inf past ~88.72, underflows gracefully (denormals) to 0. */
// @ts-ignore: decorator
@inline export function vexp(x: v128): v128 {
  // pmax(x, lo)/pmin(x, hi) return x itself for NaN, so NaN propagates.
  x = f32x4.pmin(f32x4.pmax(x, splat(-104)), splat(89));
  const t = f32x4.add(f32x4.mul(x, splat(LOG2E)), splat(MAGIC));
  const nf = f32x4.sub(t, splat(MAGIC));
  let r = f32x4.sub(x, f32x4.mul(nf, splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(nf, splat(LN2_LO)));
  let p = splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), splat(1));
  // Scale by 2^n as 2^h1·2^h2 so that n up to 129 / down to −150 never leaves
  // the exponent range of either factor (the product rounds to Inf / denormal).
  const n = i32x4.sub(t, splat(MAGIC));
  const h1 = i32x4.shr_s(n, 1);
  const h2 = i32x4.sub(n, h1);
  return f32x4.mul(f32x4.mul(p, pow2i(h1)), pow2i(h2));
}

/**
 * e^x − 1 for x ≤ 88 (callers never need more), without cancellation near 0:
 * with x = n·ln2 + r, e^x − 1 = 2^n·expm1(r) + (2^n − 1) and expm1(r) is a
 * polynomial r + r²·P(r) on |r| ≤ ln2/2 (error ~r^8/8!).
 */
// @ts-ignore: decorator
@inline export function vexpm1(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, splat(-88)), splat(88));
  const t = f32x4.add(f32x4.mul(x, splat(LOG2E)), splat(MAGIC));
  const nf = f32x4.sub(t, splat(MAGIC));
  let r = f32x4.sub(x, f32x4.mul(nf, splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(nf, splat(LN2_LO)));
  let p = splat(1.0 / 5040.0);
  p = f32x4.add(f32x4.mul(p, r), splat(1.0 / 720.0));
  p = f32x4.add(f32x4.mul(p, r), splat(1.0 / 120.0));
  p = f32x4.add(f32x4.mul(p, r), splat(1.0 / 24.0));
  p = f32x4.add(f32x4.mul(p, r), splat(1.0 / 6.0));
  p = f32x4.add(f32x4.mul(p, r), splat(0.5));
  const em1r = f32x4.add(r, f32x4.mul(f32x4.mul(r, r), p));
  const s = pow2i(i32x4.sub(t, splat(MAGIC))); // n ∈ [−127, 127]; 2^−127 becomes 0, harmless here
  return f32x4.add(f32x4.mul(s, em1r), f32x4.sub(s, splat(1)));
}

/** Natural log for x > 0 (Cephes logf). */
// @ts-ignore: decorator
@inline export function vlog(x: v128): v128 {
  let e = i32x4.sub(i32x4.shr_s(x, 23), i32x4.splat(126));
  let m = v128.or(v128.and(x, i32x4.splat(0x807fffff)), i32x4.splat(0x3f000000)); // mantissa in [0.5, 1)
  const lo = f32x4.lt(m, splat(0.707106781186547524));
  e = i32x4.add(e, lo); // lo lanes are −1
  m = f32x4.sub(f32x4.add(m, v128.and(m, lo)), splat(1)); // m ∈ [√½ − 1, √2 − 1)
  const ef = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(m, m);
  let p = splat(7.0376836292e-2);
  p = f32x4.add(f32x4.mul(p, m), splat(-1.1514610310e-1));
  p = f32x4.add(f32x4.mul(p, m), splat(1.1676998740e-1));
  p = f32x4.add(f32x4.mul(p, m), splat(-1.2420140846e-1));
  p = f32x4.add(f32x4.mul(p, m), splat(1.4249322787e-1));
  p = f32x4.add(f32x4.mul(p, m), splat(-1.6668057665e-1));
  p = f32x4.add(f32x4.mul(p, m), splat(2.0000714765e-1));
  p = f32x4.add(f32x4.mul(p, m), splat(-2.4999993993e-1));
  p = f32x4.add(f32x4.mul(p, m), splat(3.3333331174e-1));
  let y = f32x4.mul(f32x4.mul(m, z), p);
  y = f32x4.add(y, f32x4.mul(ef, splat(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(z, splat(0.5)));
  return f32x4.add(f32x4.add(m, y), f32x4.mul(ef, splat(0.693359375)));
}

/** log(1 + u) for u ≥ 0, accurate for tiny u: log(w)·u/(w − 1) with w = 1 + u (Goldberg). */
// @ts-ignore: decorator
@inline export function vlog1p(u: v128): v128 {
  const w = f32x4.add(u, splat(1));
  const d = f32x4.sub(w, splat(1));
  const r = f32x4.mul(vlog(w), f32x4.div(u, d));
  return v128.bitselect(u, r, f32x4.eq(d, splat(0)));
}

/** Logistic sigmoid, from e = exp(−|x|) so it never overflows: x ≥ 0 ? 1/(1+e) : e/(1+e). */
// @ts-ignore: decorator
@inline export function vsigmoid(x: v128): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  const s = f32x4.div(splat(1), f32x4.add(splat(1), e));
  return v128.bitselect(s, f32x4.mul(e, s), f32x4.ge(x, splat(0)));
}

/** σ(x)·(1 − σ(x)) = e/(1+e)² with e = exp(−|x|): no cancellation for large |x|. */
// @ts-ignore: decorator
@inline export function vsigmoidSlope(x: v128): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  const s = f32x4.div(splat(1), f32x4.add(splat(1), e));
  return f32x4.mul(f32x4.mul(e, s), s);
}

/** tanh(x) = expm1(2x)/(expm1(2x) + 2); |x| ≥ 9 rounds to ±1 in float32 anyway. */
// @ts-ignore: decorator
@inline export function vtanh(x: v128): v128 {
  const t = f32x4.pmin(f32x4.pmax(x, splat(-9)), splat(9));
  const e = vexpm1(f32x4.add(t, t));
  return f32x4.div(e, f32x4.add(e, splat(2)));
}

/** erfc(z) for z ≥ 0 (Numerical Recipes erfcc, same fit as the JS reference). */
// @ts-ignore: decorator
@inline export function verfcPos(z: v128): v128 {
  const t = f32x4.div(splat(1), f32x4.add(splat(1), f32x4.mul(splat(0.5), z)));
  let p = splat(0.17087277);
  p = f32x4.add(f32x4.mul(p, t), splat(-0.82215223));
  p = f32x4.add(f32x4.mul(p, t), splat(1.48851587));
  p = f32x4.add(f32x4.mul(p, t), splat(-1.13520398));
  p = f32x4.add(f32x4.mul(p, t), splat(0.27886807));
  p = f32x4.add(f32x4.mul(p, t), splat(-0.18628806));
  p = f32x4.add(f32x4.mul(p, t), splat(0.09678418));
  p = f32x4.add(f32x4.mul(p, t), splat(0.37409196));
  p = f32x4.add(f32x4.mul(p, t), splat(1.00002368));
  p = f32x4.add(f32x4.mul(p, t), splat(-1.26551223));
  return f32x4.mul(t, vexp(f32x4.sub(p, f32x4.mul(z, z))));
}
