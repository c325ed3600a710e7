/**
 * Convolution and pooling over channels-last images, with hand-written backward rules.
 * A convolution is im2col (each output position's receptive field as one row) times the kernel
 * [kh·kw·cin, cout], so it runs on the fast matmul (both cores for large work); the backward rules
 * are dW = colsᵀ·dZ, dcols = dZ·Wᵀ folded back onto dx (col2im), db = Σ dZ.
 */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';
import { kernels } from '../kernels/registry.js';
import { ActivationCode, type ConvGeometry } from '../kernels/backend.js';
import { formatShape } from '../tensor/shape.js';

export type ConvPadding = 'valid' | 'same' | 'causal';

/**
 * Keras's output size and leading pad along one axis: 'valid' ⌈(n − d·(k−1)) / s⌉ and no pad;
 * 'same' ⌈n / s⌉ with
 * the total pad split so the extra row/column goes at the end (bottom/right); 'causal' (k−1)·d zeros before only.
 */
export function convAxis(
  n: number,
  k: number,
  stride: number,
  dilation: number,
  padding: ConvPadding,
): { out: number; padBefore: number } {
  const span = (k - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.max(0, Math.ceil((n - span + 1) / stride)), padBefore: 0 };
  const out = Math.ceil(n / stride);
  if (padding === 'causal') return { out, padBefore: span - 1 };
  const total = Math.max(0, (out - 1) * stride + span - n);
  return { out, padBefore: Math.floor(total / 2) };
}

/** The geometry of a window [kh, kw] over x [batch, h, w, c] with strides, dilation and padding. */
export function convGeometry(
  xShape: readonly number[],
  window: readonly [number, number],
  strides: readonly [number, number],
  dilation: readonly [number, number],
  padding: ConvPadding,
): ConvGeometry {
  const [batch, inH, inW, inC] = xShape as [number, number, number, number];
  const h = convAxis(inH, window[0], strides[0], dilation[0], padding);
  const w = convAxis(inW, window[1], strides[1], dilation[1], padding);
  return {
    batch,
    inH,
    inW,
    inC,
    outH: h.out,
    outW: w.out,
    kh: window[0],
    kw: window[1],
    strideH: strides[0],
    strideW: strides[1],
    dilH: dilation[0],
    dilW: dilation[1],
    padTop: h.padBefore,
    padLeft: w.padBefore,
  };
}

/** im2col rows are unfolded this many floats at a time (bounds the scratch buffer; tests lower it). */
const COLS_CHUNK = 1 << 21;

/**
 * y = f(conv(x, kernel) + bias) for x [batch, h, w, cin] and kernel [kh, kw, cin, cout] (Keras layout).
 * @example conv2d(x, kernel, bias, convGeometry(x.shape, [3, 3], [1, 1], [1, 1], 'same'), ActivationCode.Relu)
 */
export function conv2d(
  x: Tensor,
  kernel: Tensor,
  bias: Tensor | null,
  g: ConvGeometry,
  act: ActivationCode = ActivationCode.Linear,
  param = 0,
  colsChunk = COLS_CHUNK,
): Tensor {
  const cout = kernel.shape[3]!;
  if (x.rank !== 4 || kernel.rank !== 4 || kernel.shape[2] !== x.shape[3] || x.shape[0] !== g.batch) {
    throw new Error(
      `conv2d: input ${formatShape(x.shape)} does not match kernel ${formatShape(kernel.shape)} (expected ` +
        `[batch, h, w, ${kernel.shape[2]}] channels-last)`,
    );
  }
  const k = kernels();
  const depth = g.kh * g.kw * g.inC;
  const perImage = g.outH * g.outW;
  const rows = g.batch * perImage;
  // A 1×1 window at stride 1 without padding reads x as it is: no unfolding.
  const direct = g.kh === 1 && g.kw === 1 && g.strideH === 1 && g.strideW === 1 && g.padTop === 0 && g.padLeft === 0;
  const imagesPerChunk = direct ? g.batch : Math.max(1, Math.min(g.batch, Math.floor(colsChunk / (perImage * depth))));
  const cols = direct ? x.data : alloc(imagesPerChunk * perImage * depth);
  const unfold = (b0: number, b1: number): void => {
    if (!direct) k.im2col(x.data, cols, g, b0, b1);
  };
  const pre = alloc(rows * cout);
  for (let b0 = 0; b0 < g.batch; b0 += imagesPerChunk) {
    const b1 = Math.min(g.batch, b0 + imagesPerChunk),
      r0 = b0 * perImage,
      r = (b1 - b0) * perImage;
    unfold(b0, b1);
    k.matmul(cols, kernel.data, pre.subarray(r0 * cout, (r0 + r) * cout), r, cout, depth, false, false, false);
  }
  const single = imagesPerChunk >= g.batch; // the last unfolding still holds every image: backward reuses it
  const out = act === ActivationCode.Linear ? pre : alloc(rows * cout);
  if (bias !== null || act !== ActivationCode.Linear) {
    k.biasActivation(pre, bias === null ? null : bias.data, pre, out, rows, cout, act, param);
  }
  const y = new Tensor(out, [g.batch, g.outH, g.outW, cout]);
  const inputs = bias === null ? [x, kernel] : [x, kernel, bias];
  return record(y, inputs, (dy) => {
    let dz = dy;
    if (act !== ActivationCode.Linear) {
      dz = alloc(dy.length);
      k.activationBackward(dy, pre, out, dz, dy.length, act, param);
    }
    let dx: Float32Array | null = null,
      dw: Float32Array | null = null,
      db: Float32Array | null = null;
    if (bias !== null && bias.requiresGrad) {
      db = alloc(cout);
      k.columnSums(dz, db, rows, cout, false);
    }
    if (kernel.requiresGrad) dw = alloc(kernel.size);
    let dcols: Float32Array | null = null;
    if (x.requiresGrad) {
      dx = alloc(x.size);
      if (!direct) {
        dx.fill(0);
        dcols = alloc(imagesPerChunk * perImage * depth);
      }
    }
    for (let b0 = 0; b0 < g.batch; b0 += imagesPerChunk) {
      const b1 = Math.min(g.batch, b0 + imagesPerChunk),
        r0 = b0 * perImage,
        r = (b1 - b0) * perImage;
      const dzChunk = dz.subarray(r0 * cout, (r0 + r) * cout);
      if (dw !== null) {
        if (!single) unfold(b0, b1);
        k.matmul(cols, dzChunk, dw, depth, cout, r, true, false, b0 > 0);
      }
      if (dx !== null) {
        if (direct) k.matmul(dzChunk, kernel.data, dx, r, depth, cout, false, true, false);
        else {
          k.matmul(dzChunk, kernel.data, dcols!, r, depth, cout, false, true, false);
          k.col2im(dcols!, dx, g, b0, b1);
        }
      }
    }
    return bias === null ? [dx, dw] : [dx, dw, db];
  });
}

/** Max or average pooling over x [batch, h, w, c] with a window geometry from convGeometry. */
export function pool2d(x: Tensor, g: ConvGeometry, mode: 'max' | 'average'): Tensor {
  if (x.rank !== 4) throw new Error(`pool2d: expected [batch, h, w, channels]; received ${formatShape(x.shape)}`);
  const k = kernels();
  const max = mode === 'max';
  const n = g.batch * g.outH * g.outW * g.inC;
  const out = alloc(n);
  // The argmax indices live in a pooled float buffer of the same byte size, read as integers.
  const argmax = max ? asInt32(alloc(n)) : null;
  k.pool2dForward(x.data, out, argmax, g, max);
  return record(new Tensor(out, [g.batch, g.outH, g.outW, g.inC]), [x], (dy) => {
    const dx = alloc(x.size);
    k.pool2dBackward(dy, dx, argmax, g, max);
    return [dx];
  });
}

function asInt32(buf: Float32Array): Int32Array {
  return new Int32Array(buf.buffer, buf.byteOffset, buf.length);
}
