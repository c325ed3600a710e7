// Convolution data movement and pooling over channels-last (NHWC) images: im2col / col2im (the products are the
// GEMM's) and 2-D max / average pooling, forward and backward. Same results as src/kernels/js/conv.ts, bit for
// bit (the same f32 operations in the same order). Geometry arguments follow ConvGeometry in backend.ts; x, cols,
// out, dx are byte addresses, argmax holds i32 element indices into x.

// @ts-ignore: decorator
@inline function copyF(dst: usize, src: usize, n: i32): void {
  const bytes = <usize>n << 2;
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(dst + o, v128.load(src + o));
  for (; o < bytes; o += 4) store<f32>(dst + o, load<f32>(src + o));
}

// @ts-ignore: decorator
@inline function zeroF(dst: usize, n: i32): void {
  const bytes = <usize>n << 2;
  const z = f32x4.splat(0);
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(dst + o, z);
  for (; o < bytes; o += 4) store<f32>(dst + o, 0);
}

/** dst[i] += src[i] for n floats. */
// @ts-ignore: decorator
@inline function addF(dst: usize, src: usize, n: i32): void {
  const bytes = <usize>n << 2;
  let o: usize = 0;
  for (; o + 16 <= bytes; o += 16) v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  for (; o < bytes; o += 4) store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
}

// @ts-ignore: decorator
@inline function clampI(v: i32, lo: i32, hi: i32): i32 {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * The first j with x0 + j·d ≥ 0 (0 when x0 ≥ 0), i.e. ⌈−x0 / d⌉, and the first j with x0 + j·d ≥ n; both
 * clamped to [0, k]. Window taps j0 ≤ j < j1 are inside the image.
 */
// @ts-ignore: decorator
@inline function firstInside(x0: i32, d: i32, k: i32): i32 {
  return x0 >= 0 ? 0 : clampI((-x0 + d - 1) / d, 0, k);
}
// @ts-ignore: decorator
@inline function firstPast(x0: i32, d: i32, n: i32, k: i32): i32 {
  return n - x0 <= 0 ? 0 : clampI((n - x0 + d - 1) / d, 0, k);
}

/**
 * Unfold (gather, `add` false) or fold back (scatter-add, `add` true) images b0 ≤ b < b1 between x and the
 * [rows, kh·kw·inC] matrix cols. Rows outside the image are zeroed (unfold) or skipped (fold).
 */
// @ts-ignore: decorator
@inline function unfold(
  x: usize, cols: usize, b0: i32, b1: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, add: bool,
): void {
  const tapBytes = <usize>inC << 2;
  const rowBytes = <usize>kw * tapBytes;
  const imageBytes = <usize>inH * <usize>inW * tapBytes;
  let at = cols;
  for (let b = b0; b < b1; b++) {
    const xb = x + <usize>b * imageBytes;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const x0 = ox * sw - pl;
        const j0 = firstInside(x0, dw, kw);
        const j1 = max(j0, firstPast(x0, dw, inW, kw));
        for (let i = 0; i < kh; i++, at += rowBytes) {
          const y = oy * sh + i * dh - pt;
          if (y < 0 || y >= inH || j0 >= j1) {
            if (!add) zeroF(at, kw * inC);
            continue;
          }
          const row = xb + <usize>y * <usize>inW * tapBytes;
          if (!add) zeroF(at, j0 * inC);
          if (dw == 1) {
            // The inside taps are one contiguous run of x.
            const src = row + <usize>(x0 + j0) * tapBytes;
            const dst = at + <usize>j0 * tapBytes;
            if (add) addF(src, dst, (j1 - j0) * inC);
            else copyF(dst, src, (j1 - j0) * inC);
          } else {
            for (let j = j0; j < j1; j++) {
              const src = row + <usize>(x0 + j * dw) * tapBytes;
              const dst = at + <usize>j * tapBytes;
              if (add) addF(src, dst, inC);
              else copyF(dst, src, inC);
            }
          }
          if (!add) zeroF(at + <usize>j1 * tapBytes, (kw - j1) * inC);
        }
      }
    }
  }
}

export function im2col(
  x: usize, cols: usize, b0: i32, b1: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32,
): void {
  unfold(x, cols, b0, b1, inH, inW, inC, outH, outW, kh, kw, sh, sw, dh, dw, pt, pl, false);
}

/** dx += fold(dcols): the adjoint of im2col (dx is accumulated). */
export function col2im(
  dcols: usize, dx: usize, b0: i32, b1: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32,
): void {
  unfold(dx, dcols, b0, b1, inH, inW, inC, outH, outW, kh, kw, sh, sw, dh, dw, pt, pl, true);
}

/**
 * Max pooling (`isMax`: out = the largest valid input, argmax its element index in x, the first on ties; a window
 * with no valid input gives −∞ and −1) or average pooling (the sum over valid inputs divided by their count).
 */
export function pool2dForward(
  x: usize, out: usize, argmax: usize, batch: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, isMax: bool,
): void {
  const c4 = inC & ~3;
  const lanes = i32x4(0, 1, 2, 3);
  let o: i32 = 0; // element index of the output pixel's first channel
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * sh - pt;
      const i0 = firstInside(y0, dh, kh), i1 = max(i0, firstPast(y0, dh, inH, kh));
      for (let ox = 0; ox < outW; ox++, o += inC) {
        const x0 = ox * sw - pl;
        const j0 = firstInside(x0, dw, kw), j1 = max(j0, firstPast(x0, dw, inW, kw));
        const po = out + (<usize>o << 2);
        if (isMax) {
          const pa = argmax + (<usize>o << 2);
          let c = 0;
          for (; c < c4; c += 4) {
            let m = f32x4.splat(-Infinity);
            let idx = i32x4.splat(-1);
            for (let i = i0; i < i1; i++) {
              const rowAt = xb + ((y0 + i * dh) * inW) * inC + c;
              for (let j = j0; j < j1; j++) {
                const e = rowAt + (x0 + j * dw) * inC;
                const v = v128.load(x + (<usize>e << 2));
                const take = v128.or(f32x4.gt(v, m), i32x4.lt_s(idx, i32x4.splat(0)));
                m = v128.bitselect(v, m, take);
                idx = v128.bitselect(i32x4.add(i32x4.splat(e), lanes), idx, take);
              }
            }
            v128.store(po + (<usize>c << 2), m);
            v128.store(pa + (<usize>c << 2), idx);
          }
          for (; c < inC; c++) {
            let m: f32 = -Infinity;
            let idx: i32 = -1;
            for (let i = i0; i < i1; i++) {
              const rowAt = xb + ((y0 + i * dh) * inW) * inC + c;
              for (let j = j0; j < j1; j++) {
                const e = rowAt + (x0 + j * dw) * inC;
                const v = load<f32>(x + (<usize>e << 2));
                if (v > m || idx < 0) {
                  m = v;
                  idx = e;
                }
              }
            }
            store<f32>(po + (<usize>c << 2), m);
            store<i32>(pa + (<usize>c << 2), idx);
          }
        } else {
          const count = <f32>((i1 - i0) * (j1 - j0));
          let c = 0;
          for (; c < c4; c += 4) {
            let s = f32x4.splat(0);
            for (let i = i0; i < i1; i++) {
              const rowAt = xb + ((y0 + i * dh) * inW) * inC + c;
              for (let j = j0; j < j1; j++) {
                s = f32x4.add(s, v128.load(x + (<usize>(rowAt + (x0 + j * dw) * inC) << 2)));
              }
            }
            if (count > 0) s = f32x4.div(s, f32x4.splat(count));
            v128.store(po + (<usize>c << 2), s);
          }
          for (; c < inC; c++) {
            let s: f32 = 0;
            for (let i = i0; i < i1; i++) {
              const rowAt = xb + ((y0 + i * dh) * inW) * inC + c;
              for (let j = j0; j < j1; j++) s += load<f32>(x + (<usize>(rowAt + (x0 + j * dw) * inC) << 2));
            }
            if (count > 0) s /= count;
            store<f32>(po + (<usize>c << 2), s);
          }
        }
      }
    }
  }
}

/** Pooling backward: dx (overwritten) gets dy at each window's argmax (max) or dy/count on every valid input. */
export function pool2dBackward(
  dy: usize, dx: usize, argmax: usize, batch: i32, inH: i32, inW: i32, inC: i32, outH: i32, outW: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, isMax: bool,
): void {
  memory.fill(dx, 0, <usize>batch * <usize>inH * <usize>inW * <usize>inC * 4);
  const n = batch * outH * outW * inC;
  if (isMax) {
    for (let o = 0; o < n; o++) {
      const at = load<i32>(argmax + (<usize>o << 2));
      if (at >= 0) {
        const p = dx + (<usize>at << 2);
        store<f32>(p, load<f32>(p) + load<f32>(dy + (<usize>o << 2)));
      }
    }
    return;
  }
  const tapBytes = <usize>inC << 2;
  let o: i32 = 0;
  for (let b = 0; b < batch; b++) {
    const xb = dx + <usize>b * <usize>inH * <usize>inW * tapBytes;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * sh - pt;
      const i0 = firstInside(y0, dh, kh), i1 = max(i0, firstPast(y0, dh, inH, kh));
      for (let ox = 0; ox < outW; ox++, o += inC) {
        const x0 = ox * sw - pl;
        const j0 = firstInside(x0, dw, kw), j1 = max(j0, firstPast(x0, dw, inW, kw));
        const count = <f32>((i1 - i0) * (j1 - j0));
        if (count == 0) continue;
        const pdy = dy + (<usize>o << 2);
        const vc = f32x4.splat(count);
        for (let i = i0; i < i1; i++) {
          const row = xb + <usize>((y0 + i * dh) * inW) * tapBytes;
          for (let j = j0; j < j1; j++) {
            const p = row + <usize>(x0 + j * dw) * tapBytes;
            let c: usize = 0;
            for (; c + 16 <= tapBytes; c += 16) {
              v128.store(p + c, f32x4.add(v128.load(p + c), f32x4.div(v128.load(pdy + c), vc)));
            }
            for (; c < tapBytes; c += 4) store<f32>(p + c, load<f32>(p + c) + load<f32>(pdy + c) / count);
          }
        }
      }
    }
  }
}
