/**
 * The reference convolution and pooling kernels over channels-last (NHWC) images:
 * im2col / col2im (a convolution becomes one matrix product with the kernel
 * [kh·kw·cin, cout]) and 2-D pooling. Plain loops; padded positions read as 0
 * (convolution) or are skipped (pooling: −∞ for max, excluded from the average's count).
 */
import type { ConvGeometry } from '../backend.js';

/**
 * cols[(b − b0)·outH·outW + oy·outW + ox, (i·kw + j)·inC + c]
 *   = x[b, oy·sh + i·dh − padTop, ox·sw + j·dw − padLeft, c]
 * for images b0 ≤ b < b1 (0 outside the image).
 */
export function im2col(x: Float32Array, cols: Float32Array, g: ConvGeometry, b0: number, b1: number): void {
  const { inH, inW, inC, outH, outW, kh, kw, strideH, strideW, dilH, dilW, padTop, padLeft } = g;
  const rowLen = kh * kw * inC;
  let r = 0;
  for (let b = b0; b < b1; b++) {
    const xb = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, r++) {
        let at = r * rowLen;
        for (let i = 0; i < kh; i++) {
          const y = oy * strideH + i * dilH - padTop;
          for (let j = 0; j < kw; j++, at += inC) {
            const xx = ox * strideW + j * dilW - padLeft;
            if (y < 0 || y >= inH || xx < 0 || xx >= inW) {
              cols.fill(0, at, at + inC);
              continue;
            }
            const src = xb + (y * inW + xx) * inC;
            for (let c = 0; c < inC; c++) cols[at + c] = x[src + c]!;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: dx[...] += dcols[...] for images b0 ≤ b < b1 (dx is accumulated, not cleared). */
export function col2im(dcols: Float32Array, dx: Float32Array, g: ConvGeometry, b0: number, b1: number): void {
  const { inH, inW, inC, outH, outW, kh, kw, strideH, strideW, dilH, dilW, padTop, padLeft } = g;
  const rowLen = kh * kw * inC;
  let r = 0;
  for (let b = b0; b < b1; b++) {
    const xb = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, r++) {
        let at = r * rowLen;
        for (let i = 0; i < kh; i++) {
          const y = oy * strideH + i * dilH - padTop;
          for (let j = 0; j < kw; j++, at += inC) {
            const xx = ox * strideW + j * dilW - padLeft;
            if (y < 0 || y >= inH || xx < 0 || xx >= inW) continue;
            const dst = xb + (y * inW + xx) * inC;
            for (let c = 0; c < inC; c++) dx[dst + c]! += dcols[at + c]!;
          }
        }
      }
    }
  }
}

/**
 * Pooling over windows kh×kw (geometry as for a convolution with inC = outC channels).
 * max: out = the largest valid input, argmax[o] = its index in x (the first on ties);
 * average: out = the mean over the valid inputs only (Keras 'same' divides by the valid count).
 */
export function pool2dForward(
  x: Float32Array,
  out: Float32Array,
  argmax: Int32Array | null,
  g: ConvGeometry,
  max: boolean,
): void {
  const { batch, inH, inW, inC, outH, outW, kh, kw, strideH, strideW, dilH, dilW, padTop, padLeft } = g;
  // Channels innermost: every window tap reads inC contiguous values.
  let o = 0;
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, o += inC) {
        let count = 0;
        for (let c = 0; c < inC; c++) out[o + c] = max ? -Infinity : 0;
        if (max) for (let c = 0; c < inC; c++) argmax![o + c] = -1;
        for (let i = 0; i < kh; i++) {
          const y = oy * strideH + i * dilH - padTop;
          if (y < 0 || y >= inH) continue;
          for (let j = 0; j < kw; j++) {
            const xx = ox * strideW + j * dilW - padLeft;
            if (xx < 0 || xx >= inW) continue;
            const at = xb + (y * inW + xx) * inC;
            count++;
            if (max) {
              for (let c = 0; c < inC; c++) {
                const v = x[at + c]!;
                if (v > out[o + c]! || argmax![o + c]! < 0) {
                  out[o + c] = v;
                  argmax![o + c] = at + c;
                }
              }
            } else for (let c = 0; c < inC; c++) out[o + c]! += x[at + c]!;
          }
        }
        if (!max && count > 0) for (let c = 0; c < inC; c++) out[o + c]! /= count;
      }
    }
  }
}

/** Pooling backward: dx is overwritten (max: dy to each window's argmax; average: dy/count to every valid input). */
export function pool2dBackward(
  dy: Float32Array,
  dx: Float32Array,
  argmax: Int32Array | null,
  g: ConvGeometry,
  max: boolean,
): void {
  const { batch, inH, inW, inC, outH, outW, kh, kw, strideH, strideW, dilH, dilW, padTop, padLeft } = g;
  dx.fill(0, 0, batch * inH * inW * inC);
  const n = batch * outH * outW * inC;
  if (max) {
    for (let o = 0; o < n; o++) {
      const at = argmax![o]!;
      if (at >= 0) dx[at]! += dy[o]!;
    }
    return;
  }
  let o = 0;
  for (let b = 0; b < batch; b++) {
    const xb = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * strideH - padTop;
      let rowsValid = 0;
      for (let i = 0; i < kh; i++) if (y0 + i * dilH >= 0 && y0 + i * dilH < inH) rowsValid++;
      for (let ox = 0; ox < outW; ox++, o += inC) {
        const x0 = ox * strideW - padLeft;
        let colsValid = 0;
        for (let j = 0; j < kw; j++) if (x0 + j * dilW >= 0 && x0 + j * dilW < inW) colsValid++;
        const count = rowsValid * colsValid;
        if (count === 0) continue;
        for (let i = 0; i < kh; i++) {
          const y = y0 + i * dilH;
          if (y < 0 || y >= inH) continue;
          for (let j = 0; j < kw; j++) {
            const xx = x0 + j * dilW;
            if (xx < 0 || xx >= inW) continue;
            const at = xb + (y * inW + xx) * inC;
            for (let c = 0; c < inC; c++) dx[at + c]! += dy[o + c]! / count;
          }
        }
      }
    }
  }
}
