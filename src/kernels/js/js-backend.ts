/**
 * The reference kernels: plain loops, readable first. Every other backend is
 * tested against these.
 */
import type { KernelBackend } from '../backend.js';
import { ActivationCode, denseGradsFrom } from '../backend.js';
import { activate, derivative, sigmoid } from '../activation-math.js';
import { col2im, im2col, pool2dBackward, pool2dForward } from './conv.js';
import { gruCell, gruCellBackward, lstmCell, lstmCellBackward } from './recurrent-cells.js';

function matmul(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
): void {
  if (!accumulate) c.fill(0, 0, m * n);
  // Loop orders chosen so the innermost loop walks memory contiguously.
  if (!transA && !transB) {
    for (let i = 0; i < m; i++) {
      const cRow = i * n;
      for (let p = 0; p < k; p++) {
        const aip = a[i * k + p]!;
        const bRow = p * n;
        for (let j = 0; j < n; j++) c[cRow + j]! += aip * b[bRow + j]!;
      }
    }
  } else if (!transA && transB) {
    // c[i, j] = a[i, :] · b[j, :]
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p]! * b[j * k + p]!;
        c[i * n + j]! += s;
      }
    }
  } else if (transA && !transB) {
    // c[i, :] += a[p, i] · b[p, :]
    for (let p = 0; p < k; p++) {
      const bRow = p * n;
      for (let i = 0; i < m; i++) {
        const api = a[p * m + i]!;
        const cRow = i * n;
        for (let j = 0; j < n; j++) c[cRow + j]! += api * b[bRow + j]!;
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[p * m + i]! * b[j * k + p]!;
        c[i * n + j]! += s;
      }
    }
  }
}

function matmulScanned(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
): number {
  matmul(a, b, c, m, n, k, transA, transB, false);
  return firstNonFinite(c, m * n);
}

function biasActivation(
  x: Float32Array,
  bias: Float32Array | null,
  pre: Float32Array,
  out: Float32Array,
  rows: number,
  cols: number,
  act: ActivationCode,
  param: number,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let j = 0; j < cols; j++) {
      const z = bias === null ? x[base + j]! : x[base + j]! + bias[j]!;
      pre[base + j] = z;
      out[base + j] = activate(act, Math.fround(z), param);
    }
  }
}

function activationBackward(
  dy: Float32Array,
  pre: Float32Array,
  out: Float32Array,
  dx: Float32Array,
  n: number,
  act: ActivationCode,
  param: number,
): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i]! * derivative(act, pre[i]!, out[i]!, param);
}

function columnSums(x: Float32Array, out: Float32Array, rows: number, cols: number, accumulate: boolean): void {
  if (!accumulate) out.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let j = 0; j < cols; j++) out[j]! += x[base + j]!;
  }
}

function batchNormTrainForward(
  x: Float32Array,
  gamma: Float32Array | null,
  beta: Float32Array | null,
  out: Float32Array,
  xhat: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  invStd: Float32Array,
  rows: number,
  cols: number,
  epsilon: number,
): void {
  for (let j = 0; j < cols; j++) {
    // Two passes (mean, then squared deviations) in float64 for accuracy.
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += x[r * cols + j]!;
    const mu = sum / rows;
    let sq = 0;
    for (let r = 0; r < rows; r++) {
      const d = x[r * cols + j]! - mu;
      sq += d * d;
    }
    const v = sq / rows;
    const inv = 1 / Math.sqrt(v + epsilon);
    mean[j] = mu;
    variance[j] = v;
    invStd[j] = inv;
    const g = gamma === null ? 1 : gamma[j]!;
    const b = beta === null ? 0 : beta[j]!;
    for (let r = 0; r < rows; r++) {
      const h = (x[r * cols + j]! - mu) * inv;
      xhat[r * cols + j] = h;
      out[r * cols + j] = g * h + b;
    }
  }
}

function batchNormTrainBackward(
  dy: Float32Array,
  xhat: Float32Array,
  gamma: Float32Array | null,
  invStd: Float32Array,
  dx: Float32Array,
  dgamma: Float32Array,
  dbeta: Float32Array,
  rows: number,
  cols: number,
): void {
  for (let j = 0; j < cols; j++) {
    let sumDy = 0,
      sumDyXhat = 0;
    for (let r = 0; r < rows; r++) {
      const d = dy[r * cols + j]!;
      sumDy += d;
      sumDyXhat += d * xhat[r * cols + j]!;
    }
    dgamma[j] = sumDyXhat;
    dbeta[j] = sumDy;
    const scale = ((gamma === null ? 1 : gamma[j]!) * invStd[j]!) / rows;
    for (let r = 0; r < rows; r++) {
      const i = r * cols + j;
      dx[i] = scale * (rows * dy[i]! - sumDy - xhat[i]! * sumDyXhat);
    }
  }
}

function batchNormInference(
  x: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  gamma: Float32Array | null,
  beta: Float32Array | null,
  out: Float32Array,
  rows: number,
  cols: number,
  epsilon: number,
): void {
  for (let j = 0; j < cols; j++) {
    const inv = 1 / Math.sqrt(variance[j]! + epsilon);
    const g = gamma === null ? 1 : gamma[j]!,
      b = beta === null ? 0 : beta[j]!,
      mu = mean[j]!;
    for (let r = 0; r < rows; r++) {
      const i = r * cols + j;
      out[i] = g * (x[i]! - mu) * inv + b;
    }
  }
}

function batchNormInferenceBackward(
  dy: Float32Array,
  x: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  gamma: Float32Array | null,
  dx: Float32Array,
  dgamma: Float32Array,
  dbeta: Float32Array,
  rows: number,
  cols: number,
  epsilon: number,
): void {
  for (let j = 0; j < cols; j++) {
    const inv = 1 / Math.sqrt(variance[j]! + epsilon);
    const g = gamma === null ? 1 : gamma[j]!,
      mu = mean[j]!;
    dgamma[j] = 0;
    dbeta[j] = 0;
    for (let r = 0; r < rows; r++) {
      const i = r * cols + j;
      dx[i] = dy[i]! * g * inv;
      dgamma[j]! += dy[i]! * (x[i]! - mu) * inv;
      dbeta[j]! += dy[i]!;
    }
  }
}

function multiply(a: Float32Array, b: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
}

function keepMask(state: Uint32Array, out: Float32Array, n: number, rate: number, keep: number): void {
  const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
  let s0 = state[0]!,
    s1 = state[1]!,
    s2 = state[2]!,
    s3 = state[3]!;
  for (let i = 0; i < n; i++) {
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    out[i] = r / 4294967296 >= rate ? keep : 0;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

function scaledAdd(y: Float32Array, x: Float32Array, alpha: number, n: number): boolean {
  let check = 0;
  for (let i = 0; i < n; i++) {
    y[i]! += alpha * x[i]!;
    check += y[i]! - y[i]!; // 0 while every value is finite, NaN after the first that is not
  }
  return check === 0;
}

function adamUpdate(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  vHat: Float32Array | null,
  n: number,
  alpha: number,
  c1: number,
  c2: number,
  epsilon: number,
): void {
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    m[i]! += (gi - m[i]!) * c1;
    v[i]! += (gi * gi - v[i]!) * c2;
    let d = v[i]!;
    if (vHat !== null) {
      vHat[i] = Math.max(vHat[i]!, d);
      d = vHat[i]!;
    }
    w[i]! -= (alpha * m[i]!) / (Math.sqrt(d) + epsilon);
  }
}

function rmspropUpdate(
  w: Float32Array,
  g: Float32Array,
  v: Float32Array,
  mom: Float32Array | null,
  avg: Float32Array | null,
  n: number,
  lr: number,
  rho: number,
  mu: number,
  epsilon: number,
): void {
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    v[i] = rho * v[i]! + (1 - rho) * gi * gi;
    let d = v[i]!;
    if (avg !== null) {
      avg[i] = rho * avg[i]! + (1 - rho) * gi;
      d -= avg[i]! * avg[i]!;
    }
    const u = (lr * gi) / Math.sqrt(d + epsilon);
    if (mom !== null) {
      mom[i] = mu * mom[i]! + u;
      w[i]! -= mom[i]!;
    } else w[i]! -= u;
  }
}

function adagradUpdate(w: Float32Array, g: Float32Array, a: Float32Array, n: number, lr: number, eps: number): void {
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    a[i]! += gi * gi;
    w[i]! -= (lr * gi) / Math.sqrt(a[i]! + eps);
  }
}

function adadeltaUpdate(
  w: Float32Array,
  g: Float32Array,
  ag: Float32Array,
  ad: Float32Array,
  n: number,
  lr: number,
  rho: number,
  eps: number,
): void {
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    ag[i] = rho * ag[i]! + (1 - rho) * gi * gi;
    const delta = -(Math.sqrt(ad[i]! + eps) * gi) / Math.sqrt(ag[i]! + eps);
    ad[i] = rho * ad[i]! + (1 - rho) * delta * delta;
    w[i]! += lr * delta;
  }
}

function adamaxUpdate(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  u: Float32Array,
  n: number,
  lr: number,
  c1: number,
  b2: number,
  correction: number,
  eps: number,
): void {
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    m[i]! += (gi - m[i]!) * c1;
    u[i] = Math.max(b2 * u[i]!, Math.abs(gi));
    w[i]! -= (lr * m[i]!) / (correction * (u[i]! + eps));
  }
}

function lionUpdate(w: Float32Array, g: Float32Array, m: Float32Array, n: number, lr: number, b1: number, b2: number) {
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    w[i]! -= lr * Math.sign(m[i]! * b1 + gi * (1 - b1));
    m[i] = m[i]! * b2 + gi * (1 - b2);
  }
}

function weightDecay(w: Float32Array, n: number, decay: number): void {
  for (let i = 0; i < n; i++) w[i]! -= w[i]! * decay;
}

function nadamUpdate(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  n: number,
  lr: number,
  c1: number,
  c2: number,
  uNext: number,
  d1: number,
  cT: number,
  d2: number,
  vCorrection: number,
  eps: number,
): void {
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    m[i]! += (gi - m[i]!) * c1;
    v[i]! += (gi * gi - v[i]!) * c2;
    const mHat = (uNext * m[i]!) / d1 + (cT * gi) / d2;
    w[i]! -= (lr * mHat) / (Math.sqrt(v[i]! / vCorrection) + eps);
  }
}

function emaUpdate(average: Float32Array, w: Float32Array, n: number, momentum: number, complement: number): void {
  for (let i = 0; i < n; i++) average[i] = momentum * average[i]! + complement * w[i]!;
}

function momentumUpdate(
  w: Float32Array,
  g: Float32Array,
  v: Float32Array,
  n: number,
  lr: number,
  mu: number,
  nesterov: boolean,
): void {
  for (let i = 0; i < n; i++) {
    const u = mu * v[i]! - lr * g[i]!;
    v[i] = u;
    w[i]! += nesterov ? mu * u - lr * g[i]! : u;
  }
}

/**
 * v − v is 0 for every finite v and NaN otherwise, so blocks of 1024 are summed that way in four accumulators
 * (no branch per element: twice the speed of testing each one) and only a block whose sum is not 0 is searched
 * element by element (the wasm kernel does the same in SIMD).
 */
function firstNonFinite(x: Float32Array, n: number): number {
  let i = 0;
  for (; i + 1024 <= n; i += 1024) {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let j = i; j < i + 1024; j += 4) {
      const v0 = x[j]!,
        v1 = x[j + 1]!,
        v2 = x[j + 2]!,
        v3 = x[j + 3]!;
      s0 += v0 - v0;
      s1 += v1 - v1;
      s2 += v2 - v2;
      s3 += v3 - v3;
    }
    if (s0 + s1 + s2 + s3 !== 0) break;
  }
  for (; i < n; i++) if (!Number.isFinite(x[i]!)) return i;
  return -1;
}

function softmax(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, x[base + j]!);
    let total = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(x[base + j]! - max);
      out[base + j] = e;
      total += e;
    }
    for (let j = 0; j < cols; j++) out[base + j] = out[base + j]! / total;
  }
}

function softmaxBackward(dy: Float32Array, y: Float32Array, dx: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += dy[base + j]! * y[base + j]!;
    for (let j = 0; j < cols; j++) dx[base + j] = y[base + j]! * (dy[base + j]! - dot);
  }
}

/** t_rj of a cross-entropy's targets: one-hot from class ids (sparse) or per class. */
function target(targets: Float32Array, sparse: boolean, classes: number, r: number, j: number): number {
  return sparse ? (targets[r] === j ? 1 : 0) : targets[r * classes + j]!;
}

function softmaxCrossEntropy(z: Float32Array, targets: Float32Array, sparse: boolean, rows: number, classes: number) {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, z[base + j]!);
    let s = 0;
    for (let j = 0; j < classes; j++) s += Math.exp(z[base + j]! - max);
    const lse = max + Math.log(s);
    for (let j = 0; j < classes; j++) {
      const t = target(targets, sparse, classes, r, j);
      if (t !== 0) total += t * (lse - z[base + j]!);
    }
  }
  return total;
}

function softmaxCrossEntropyBackward(
  probs: Float32Array,
  targets: Float32Array,
  sparse: boolean,
  g: Float32Array,
  rows: number,
  classes: number,
  scale: number,
): void {
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let tSum = 0;
    for (let j = 0; j < classes; j++) tSum += target(targets, sparse, classes, r, j);
    for (let j = 0; j < classes; j++)
      g[base + j] = scale * (tSum * probs[base + j]! - target(targets, sparse, classes, r, j));
  }
}

function sigmoidCrossEntropy(z: Float32Array, t: Float32Array, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += Math.max(z[i]!, 0) - z[i]! * t[i]! + Math.log1p(Math.exp(-Math.abs(z[i]!)));
  return total;
}

function sigmoidCrossEntropyBackward(z: Float32Array, t: Float32Array, g: Float32Array, n: number, scale: number) {
  for (let i = 0; i < n; i++) g[i] = scale * (sigmoid(z[i]!) - t[i]!);
}

function squaredError(pred: Float32Array, t: Float32Array, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = pred[i]! - t[i]!;
    total += d * d;
  }
  return total;
}

function squaredErrorBackward(pred: Float32Array, t: Float32Array, g: Float32Array, n: number, scale: number): void {
  for (let i = 0; i < n; i++) g[i] = scale * (pred[i]! - t[i]!);
}

export const jsBackend: KernelBackend = {
  name: 'js',
  allocate: (length) => new Float32Array(length),
  matmul,
  matmulScanned,
  denseGrads: (...args) => denseGradsFrom(jsBackend, ...args),
  biasActivation,
  activationBackward,
  columnSums,
  batchNormTrainForward,
  batchNormTrainBackward,
  batchNormInference,
  batchNormInferenceBackward,
  multiply,
  keepMask,
  scaledAdd,
  adamUpdate,
  rmspropUpdate,
  adagradUpdate,
  adadeltaUpdate,
  adamaxUpdate,
  lionUpdate,
  weightDecay,
  nadamUpdate,
  emaUpdate,
  momentumUpdate,
  firstNonFinite,
  softmax,
  softmaxBackward,
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
  sigmoidCrossEntropy,
  sigmoidCrossEntropyBackward,
  squaredError,
  squaredErrorBackward,
  im2col,
  col2im,
  pool2dForward,
  pool2dBackward,
  lstmCell,
  lstmCellBackward,
  gruCell,
  gruCellBackward,
};
