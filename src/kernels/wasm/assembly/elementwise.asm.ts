// Element-wise and per-column kernels: bias + activation, activation
// backward, column sums, batch-norm forward/backward. Activation codes match
// ActivationCode in src/kernels/backend.ts; formulas follow activation-math.ts
// (Keras 3), rewritten where needed so float32 evaluation does not cancel.
import { splat, vexp, vexpm1, vlog1p, vsigmoid, vsigmoidSlope, vtanh, verfcPos } from './vmath.asm';

const SELU_ALPHA: f32 = 1.6732632423543772848170429916717;
const SELU_LAMBDA: f32 = 1.0507009873554804934193349852946;
const SQRT_2_OVER_PI: f32 = 0.7978845608028654;
const INV_SQRT_2: f32 = 0.7071067811865476;
const INV_SQRT_2PI: f32 = 0.3989422804014327;

/**
 * The t (4, 8 or 12) bytes at p in the low lanes of a vector, the others 0: an array's tail shorter than one
 * vector, so it goes through the same lane-wise operations as the rest (the same bits wherever an element sits).
 * In registers, not a bounce buffer in memory, so threads can run these kernels on slabs side by side.
 */
// @ts-ignore: decorator
@inline function loadTail(p: usize, t: usize): v128 {
  let v = f32x4.replace_lane(splat(0), 0, load<f32>(p));
  if (t > 4) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (t > 8) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** The low t (4, 8 or 12) bytes of v stored at p. */
// @ts-ignore: decorator
@inline function storeTail(p: usize, t: usize, v: v128): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (t > 4) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (t > 8) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

// @ts-ignore: decorator
@inline function act(x: v128, code: i32, param: f32): v128 {
  const zero = splat(0);
  switch (code) {
    case 0: return x;
    case 1: return v128.andnot(x, f32x4.lt(x, zero)); // x < 0 ? 0 : x: NaN propagates (TF Relu, like the reference)
    case 2: return v128.bitselect(x, f32x4.mul(splat(param), vexpm1(x)), f32x4.gt(x, zero));
    case 3: return f32x4.mul(splat(SELU_LAMBDA),
      v128.bitselect(x, f32x4.mul(splat(SELU_ALPHA), vexpm1(x)), f32x4.gt(x, zero)));
    case 4: return vsigmoid(x);
    case 5: return vtanh(x);
    case 6: return f32x4.add(f32x4.pmax(zero, x), vlog1p(vexp(f32x4.neg(f32x4.abs(x)))));
    case 7: return f32x4.div(x, f32x4.add(splat(1), f32x4.abs(x)));
    case 8: return f32x4.mul(x, vsigmoid(x));
    case 9: return f32x4.mul(x, vsigmoid(geluTanhArg2(x))); // ½x(1 + tanh u) = x·σ(2u)
    case 10: return f32x4.mul(f32x4.mul(splat(0.5), x), onePlusErf(f32x4.mul(x, splat(INV_SQRT_2))));
    case 11: return f32x4.min(f32x4.max(f32x4.add(f32x4.mul(x, splat(1.0 / 6.0)), splat(0.5)), zero), splat(1));
    case 12: return vexp(x);
    case 13: return v128.bitselect(x, f32x4.mul(splat(param), x), f32x4.gt(x, zero));
    case 14: return f32x4.min(f32x4.max(f32x4.add(f32x4.mul(x, splat(0.2)), splat(0.5)), zero), splat(1));
    default: return x;
  }
}

/** f'(x) given input x and output y = f(x); kinks as in activation-math.ts (TF's gradient kernels). */
// @ts-ignore: decorator
@inline function actSlope(x: v128, y: v128, code: i32, param: f32): v128 {
  const zero = splat(0), one = splat(1);
  switch (code) {
    case 0: return one;
    case 1: return v128.and(one, f32x4.gt(x, zero));
    case 2: return v128.bitselect(one, f32x4.add(y, splat(param)), f32x4.gt(x, zero));
    case 3: return v128.bitselect(f32x4.add(y, splat(SELU_LAMBDA * SELU_ALPHA)), splat(SELU_LAMBDA), f32x4.lt(x, zero));
    case 4: return f32x4.mul(y, f32x4.sub(one, y));
    case 5: return f32x4.mul(f32x4.sub(one, y), f32x4.add(one, y)); // 1 − y² without cancellation
    case 6: return vsigmoid(x);
    case 7: { const d = f32x4.add(one, f32x4.abs(x)); return f32x4.div(one, f32x4.mul(d, d)); }
    case 8: return f32x4.add(vsigmoid(x), f32x4.mul(x, vsigmoidSlope(x)));
    case 9: {
      // d/dx x·σ(2u) = σ(2u) + 2x·σ'(2u)·u'(x), u' = √(2/π)(1 + 3·0.044715·x²)
      const v = geluTanhArg2(x);
      const du = f32x4.mul(splat(SQRT_2_OVER_PI), f32x4.add(one, f32x4.mul(splat(3 * 0.044715), f32x4.mul(x, x))));
      return f32x4.add(vsigmoid(v), f32x4.mul(f32x4.mul(f32x4.add(x, x), vsigmoidSlope(v)), du));
    }
    case 10: {
      const cdf = f32x4.mul(splat(0.5), onePlusErf(f32x4.mul(x, splat(INV_SQRT_2))));
      const pdf = f32x4.mul(splat(INV_SQRT_2PI), vexp(f32x4.mul(splat(-0.5), f32x4.mul(x, x))));
      return f32x4.add(cdf, f32x4.mul(x, pdf));
    }
    case 11: return v128.and(splat(1.0 / 6.0), v128.and(f32x4.gt(x, splat(-3)), f32x4.lt(x, splat(3))));
    case 12: return y;
    case 13: return v128.bitselect(one, splat(param), f32x4.gt(x, zero));
    case 14: {
      const t = f32x4.add(f32x4.mul(x, splat(0.2)), splat(0.5));
      return v128.and(splat(0.2), v128.and(f32x4.ge(t, zero), f32x4.le(t, one)));
    }
    default: return one;
  }
}

/** 2u for GELU-tanh, u = √(2/π)(x + 0.044715x³). */
// @ts-ignore: decorator
@inline function geluTanhArg2(x: v128): v128 {
  const x3 = f32x4.mul(f32x4.mul(x, x), x);
  return f32x4.mul(splat(2 * SQRT_2_OVER_PI), f32x4.add(x, f32x4.mul(splat(0.044715), x3)));
}

/** 1 + erf(y) = y ≥ 0 ? 2 − erfc(y) : erfc(−y): no cancellation for negative y. */
// @ts-ignore: decorator
@inline function onePlusErf(y: v128): v128 {
  const r = verfcPos(f32x4.abs(y));
  return v128.bitselect(f32x4.sub(splat(2), r), r, f32x4.ge(y, splat(0)));
}

/** out[i] = f(pre[i]) for n contiguous elements (out may alias pre). */
export function activationForward(pre: usize, out: usize, n: i32, code: i32, param: f32): void {
  // One loop per code: with `code` a constant after inlining, the optimizer
  // drops the switch inside act() and the loop keeps its constants in registers.
  switch (code) {
    case 0: if (out != pre) memory.copy(out, pre, <usize>n * 4); break;
    case 1: forwardLoop(pre, out, n, 1, param); break;
    case 2: forwardLoop(pre, out, n, 2, param); break;
    case 3: forwardLoop(pre, out, n, 3, param); break;
    case 4: forwardLoop(pre, out, n, 4, param); break;
    case 5: forwardLoop(pre, out, n, 5, param); break;
    case 6: forwardLoop(pre, out, n, 6, param); break;
    case 7: forwardLoop(pre, out, n, 7, param); break;
    case 8: forwardLoop(pre, out, n, 8, param); break;
    case 9: forwardLoop(pre, out, n, 9, param); break;
    case 10: forwardLoop(pre, out, n, 10, param); break;
    case 11: forwardLoop(pre, out, n, 11, param); break;
    case 12: forwardLoop(pre, out, n, 12, param); break;
    case 13: forwardLoop(pre, out, n, 13, param); break;
    case 14: forwardLoop(pre, out, n, 14, param); break;
    default: if (out != pre) memory.copy(out, pre, <usize>n * 4);
  }
}

// @ts-ignore: decorator
@inline function forwardLoop(pre: usize, out: usize, n: i32, code: i32, param: f32): void {
  const end = <usize>n * 4;
  let o: usize = 0;
  for (; o + 16 <= end; o += 16) v128.store(out + o, act(v128.load(pre + o), code, param));
  if (o < end) storeTail(out + o, end - o, act(loadTail(pre + o, end - o), code, param));
}

/** pre[r, j] = x[r, j] + bias[j] (bias 0 = none), then out = f(pre). pre may alias x, out may alias pre. */
export function biasActivation(
  x: usize, bias: usize, pre: usize, out: usize, rows: i32, cols: i32, code: i32, param: f32,
): void {
  const rowBytes = <usize>cols * 4;
  if (bias != 0) {
    for (let r = 0; r < rows; r++) {
      const xr = x + <usize>r * rowBytes, pr = pre + <usize>r * rowBytes;
      let o: usize = 0;
      for (; o + 16 <= rowBytes; o += 16) v128.store(pr + o, f32x4.add(v128.load(xr + o), v128.load(bias + o)));
      for (; o < rowBytes; o += 4) store<f32>(pr + o, load<f32>(xr + o) + load<f32>(bias + o));
    }
  } else if (pre != x) {
    memory.copy(pre, x, <usize>rows * rowBytes);
  }
  activationForward(pre, out, rows * cols, code, param);
}

/** dx[i] = dy[i]·f'(pre[i]) (out[i] = f(pre[i])); dx may alias dy. */
export function activationBackward(dy: usize, pre: usize, out: usize, dx: usize, n: i32, code: i32, param: f32): void {
  switch (code) { // one specialised loop per code, as in activationForward
    case 1: backwardLoop(dy, pre, out, dx, n, 1, param); break;
    case 2: backwardLoop(dy, pre, out, dx, n, 2, param); break;
    case 3: backwardLoop(dy, pre, out, dx, n, 3, param); break;
    case 4: backwardLoop(dy, pre, out, dx, n, 4, param); break;
    case 5: backwardLoop(dy, pre, out, dx, n, 5, param); break;
    case 6: backwardLoop(dy, pre, out, dx, n, 6, param); break;
    case 7: backwardLoop(dy, pre, out, dx, n, 7, param); break;
    case 8: backwardLoop(dy, pre, out, dx, n, 8, param); break;
    case 9: backwardLoop(dy, pre, out, dx, n, 9, param); break;
    case 10: backwardLoop(dy, pre, out, dx, n, 10, param); break;
    case 11: backwardLoop(dy, pre, out, dx, n, 11, param); break;
    case 12: backwardLoop(dy, pre, out, dx, n, 12, param); break;
    case 13: backwardLoop(dy, pre, out, dx, n, 13, param); break;
    case 14: backwardLoop(dy, pre, out, dx, n, 14, param); break;
    default: if (dx != dy) memory.copy(dx, dy, <usize>n * 4); // linear: f' = 1
  }
}

// @ts-ignore: decorator
@inline function backwardLoop(dy: usize, pre: usize, out: usize, dx: usize, n: i32, code: i32, param: f32): void {
  const end = <usize>n * 4;
  let o: usize = 0;
  for (; o + 16 <= end; o += 16) {
    v128.store(dx + o, f32x4.mul(v128.load(dy + o), actSlope(v128.load(pre + o), v128.load(out + o), code, param)));
  }
  if (o < end) {
    const t = end - o;
    const slope = actSlope(loadTail(pre + o, t), loadTail(out + o, t), code, param);
    storeTail(dx + o, t, f32x4.mul(loadTail(dy + o, t), slope));
  }
}

/**
 * out[j] (+)= Σ_r x[r, j] for the `cols` columns at x, whose rows are `ld` floats apart (ld ≥ cols: threads sum
 * column ranges of one x). Every column sums its rows in order from out[j] (or 0), whichever path it takes.
 */
export function columnSums(x: usize, out: usize, rows: i32, cols: i32, ld: i32, accumulate: bool): void {
  const rowBytes = <usize>cols * 4;
  const stride = <usize>ld * 4;
  if (!accumulate) memory.fill(out, 0, rowBytes);
  let o: usize = 0;
  // Four vectors (16 columns) at a time keep 4 independent add chains in flight.
  for (; o + 64 <= rowBytes; o += 64) {
    let s0 = v128.load(out + o), s1 = v128.load(out + o, 16), s2 = v128.load(out + o, 32), s3 = v128.load(out + o, 48);
    for (let r = 0; r < rows; r++) {
      const p = x + <usize>r * stride + o;
      s0 = f32x4.add(s0, v128.load(p)); s1 = f32x4.add(s1, v128.load(p, 16));
      s2 = f32x4.add(s2, v128.load(p, 32)); s3 = f32x4.add(s3, v128.load(p, 48));
    }
    v128.store(out + o, s0); v128.store(out + o, s1, 16); v128.store(out + o, s2, 32); v128.store(out + o, s3, 48);
  }
  for (; o + 16 <= rowBytes; o += 16) {
    let s = v128.load(out + o);
    for (let r = 0; r < rows; r++) s = f32x4.add(s, v128.load(x + <usize>r * stride + o));
    v128.store(out + o, s);
  }
  for (; o < rowBytes; o += 4) {
    let s = load<f32>(out + o);
    for (let r = 0; r < rows; r++) s += load<f32>(x + <usize>r * stride + o);
    store<f32>(out + o, s);
  }
}

// Batch norm works on two columns at a time in float64 (f64x2), matching the
// reference's double-precision statistics; a lone last column uses lane 0 only.

// @ts-ignore: decorator
@inline function load2(p: usize, two: bool): v128 {
  return f64x2.promote_low_f32x4(two ? v128.load64_zero(p) : v128.load32_zero(p));
}
// @ts-ignore: decorator
@inline function store2(p: usize, v: v128, two: bool): void {
  const f = f32x4.demote_f64x2_zero(v);
  if (two) v128.store64_lane(p, f, 0); else v128.store32_lane(p, f, 0);
}

export function batchNormTrainForward(
  x: usize, gamma: usize, beta: usize, out: usize, xhat: usize,
  mean: usize, variance: usize, invStd: usize, rows: i32, cols: i32, epsilon: f64,
): void {
  const rowBytes = <usize>cols * 4;
  const n = f64x2.splat(<f64>rows);
  for (let j = 0; j < cols; j += 2) {
    const two = j + 1 < cols;
    const o = <usize>j * 4;
    let sum = f64x2.splat(0);
    for (let r = 0; r < rows; r++) sum = f64x2.add(sum, load2(x + <usize>r * rowBytes + o, two));
    const mu = f64x2.div(sum, n);
    let sq = f64x2.splat(0);
    for (let r = 0; r < rows; r++) {
      const d = f64x2.sub(load2(x + <usize>r * rowBytes + o, two), mu);
      sq = f64x2.add(sq, f64x2.mul(d, d));
    }
    const v = f64x2.div(sq, n);
    const inv = f64x2.div(f64x2.splat(1), f64x2.sqrt(f64x2.add(v, f64x2.splat(epsilon))));
    store2(mean + o, mu, two); store2(variance + o, v, two); store2(invStd + o, inv, two);
    const g = gamma == 0 ? f64x2.splat(1) : load2(gamma + o, two);
    const b = beta == 0 ? f64x2.splat(0) : load2(beta + o, two);
    for (let r = 0; r < rows; r++) {
      const at = <usize>r * rowBytes + o;
      const h = f64x2.mul(f64x2.sub(load2(x + at, two), mu), inv);
      store2(xhat + at, h, two);
      store2(out + at, f64x2.add(f64x2.mul(g, h), b), two);
    }
  }
}

export function batchNormTrainBackward(
  dy: usize, xhat: usize, gamma: usize, invStd: usize, dx: usize, dgamma: usize, dbeta: usize,
  rows: i32, cols: i32,
): void {
  const rowBytes = <usize>cols * 4;
  const n = f64x2.splat(<f64>rows);
  for (let j = 0; j < cols; j += 2) {
    const two = j + 1 < cols;
    const o = <usize>j * 4;
    let sumDy = f64x2.splat(0), sumDyXhat = f64x2.splat(0);
    for (let r = 0; r < rows; r++) {
      const at = <usize>r * rowBytes + o;
      const d = load2(dy + at, two);
      sumDy = f64x2.add(sumDy, d);
      sumDyXhat = f64x2.add(sumDyXhat, f64x2.mul(d, load2(xhat + at, two)));
    }
    store2(dgamma + o, sumDyXhat, two); store2(dbeta + o, sumDy, two);
    const g = gamma == 0 ? f64x2.splat(1) : load2(gamma + o, two);
    const scale = f64x2.div(f64x2.mul(g, load2(invStd + o, two)), n);
    for (let r = 0; r < rows; r++) {
      const at = <usize>r * rowBytes + o;
      const scaled = f64x2.sub(f64x2.mul(n, load2(dy + at, two)), sumDy);
      const t = f64x2.sub(scaled, f64x2.mul(load2(xhat + at, two), sumDyXhat));
      store2(dx + at, f64x2.mul(scale, t), two);
    }
  }
}

/** 1/√(variance + ε) for the two columns at p (float64, as the JS reference). */
// @ts-ignore: decorator
@inline function inverseStd(p: usize, two: bool, epsilon: f64): v128 {
  return f64x2.div(f64x2.splat(1), f64x2.sqrt(f64x2.add(load2(p, two), f64x2.splat(epsilon))));
}

/**
 * Batch normalization in inference mode: out = (γ·(x − mean))·inv + β, inv = 1/√(variance + ε) per column, all
 * in float64 in the JS reference's order (γ = 1 and β = 0 when their address is 0).
 */
export function batchNormInference(
  x: usize, mean: usize, variance: usize, gamma: usize, beta: usize, out: usize, rows: i32, cols: i32, epsilon: f64,
): void {
  const rowBytes = <usize>cols * 4;
  for (let j = 0; j < cols; j += 2) {
    const two = j + 1 < cols;
    const o = <usize>j * 4;
    const mu = load2(mean + o, two);
    const inv = inverseStd(variance + o, two, epsilon);
    const g = gamma == 0 ? f64x2.splat(1) : load2(gamma + o, two);
    const b = beta == 0 ? f64x2.splat(0) : load2(beta + o, two);
    for (let r = 0; r < rows; r++) {
      const at = <usize>r * rowBytes + o;
      store2(out + at, f64x2.add(f64x2.mul(f64x2.mul(g, f64x2.sub(load2(x + at, two), mu)), inv), b), two);
    }
  }
}

/** Two float64 lanes rounded to float32 and back: a float32 accumulator's value after each addition. */
// @ts-ignore: decorator
@inline function roundF32(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/**
 * Its backward: dx = (dy·γ)·inv; dgamma = Σ_r (dy·(x − mean))·inv and dbeta = Σ_r dy, summed in row order with
 * each partial sum rounded to float32, as the JS reference's float32 accumulators do.
 */
export function batchNormInferenceBackward(
  dy: usize, x: usize, mean: usize, variance: usize, gamma: usize, dx: usize, dgamma: usize, dbeta: usize,
  rows: i32, cols: i32, epsilon: f64,
): void {
  const rowBytes = <usize>cols * 4;
  for (let j = 0; j < cols; j += 2) {
    const two = j + 1 < cols;
    const o = <usize>j * 4;
    const mu = load2(mean + o, two);
    const inv = inverseStd(variance + o, two, epsilon);
    const g = gamma == 0 ? f64x2.splat(1) : load2(gamma + o, two);
    let sg = f64x2.splat(0), sb = f64x2.splat(0);
    for (let r = 0; r < rows; r++) {
      const at = <usize>r * rowBytes + o;
      const d = load2(dy + at, two);
      store2(dx + at, f64x2.mul(f64x2.mul(d, g), inv), two);
      sg = roundF32(f64x2.add(sg, f64x2.mul(f64x2.mul(d, f64x2.sub(load2(x + at, two), mu)), inv)));
      sb = roundF32(f64x2.add(sb, d));
    }
    store2(dgamma + o, sg, two); store2(dbeta + o, sb, two);
  }
}
