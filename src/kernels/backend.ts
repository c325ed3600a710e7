/**
 * The one interface every kernel implementation satisfies.
 *
 * Kernels are raw loops over row-major Float32Arrays: they know shapes only as
 * the integers they are handed and nothing of tensors, layers or gradients.
 * `js/` is the readable reference; `wasm/` is the fast one and must agree with
 * it (see kernels.conformance.test.ts).
 */
import type * as cells from './js/recurrent-cells.js';

/** Element-wise activations the fused kernels understand (codes are stable: wasm uses them). */
export const enum ActivationCode {
  Linear = 0,
  Relu = 1,
  Elu = 2,
  Selu = 3,
  Sigmoid = 4,
  Tanh = 5,
  Softplus = 6,
  Softsign = 7,
  Swish = 8,
  GeluTanh = 9,
  GeluErf = 10,
  HardSigmoid = 11,
  Exponential = 12,
  LeakyRelu = 13,
  /** tf.keras 2's and TF.js's hard_sigmoid, clip(0.2x + 1/2, 0, 1) (Keras 3's HardSigmoid is clip(x/6 + 1/2)). */
  HardSigmoidKeras2 = 14,
}

/**
 * A 2-D convolution's or pooling's geometry over channels-last images [batch, inH, inW, inC]: a kh×kw window
 * with strides and dilation; padTop/padLeft zeros (or skipped positions) before the first row/column.
 */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  dilH: number;
  dilW: number;
  padTop: number;
  padLeft: number;
}

export interface KernelBackend {
  readonly name: string;

  /**
   * A zero-filled array the backend can work on without copying (for wasm: a
   * view into its linear memory). Buffers from here are never freed; the step
   * arena and model weights hold on to them and reuse them.
   */
  allocate(length: number): Float32Array;

  /**
   * c[m×n] = op(a)·op(b), or c += op(a)·op(b) when `accumulate`.
   * a is [m, k] (or [k, m] when transA); b is [k, n] (or [n, k] when transB).
   */
  matmul(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    accumulate: boolean,
  ): void;

  /**
   * c[m×n] = op(a)·op(b), as `matmul`, and the flat index of c's first NaN or ±Inf (−1 if none): for a gradient
   * the training loop checks every step, scanned where the backend can while c is still in cache (the wasm
   * backend's threads scan each slab of c they compute). ops/dense.ts marks a finite one (arena.ts, markFinite).
   */
  matmulScanned(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
  ): number;

  /**
   * A Dense layer's weight gradients from the gradient dy of its output out = f(pre), x[rows×inFeatures] its input:
   * dz = dy ⊙ f'(pre) (with act Linear, pass dz = dy: it is used as given), dw = xᵀ·dz, db = Σ_rows dz (db null:
   * none). Returns the flat index of dw's first NaN or ±Inf (−1 if none). The same bits as activationBackward,
   * matmulScanned(x, dz, dw, inFeatures, units, rows, true, false) and columnSums(dz, db, rows, units, false); the
   * wasm backend's threads compute dz, pack it for the product and sum its columns in one pass.
   */
  denseGrads(
    x: Float32Array,
    dy: Float32Array,
    pre: Float32Array,
    out: Float32Array,
    dz: Float32Array,
    dw: Float32Array,
    db: Float32Array | null,
    rows: number,
    inFeatures: number,
    units: number,
    act: ActivationCode,
    param: number,
  ): number;

  /**
   * For each row r of a [rows × cols] matrix: pre = x + bias (bias may be null),
   * out = f(pre). `pre` may alias `x`; `out` may alias `pre` when f is linear or
   * when the backward rule only needs the output. `param` is the activation's
   * parameter (ELU alpha, leaky slope); ignored by the others.
   */
  biasActivation(
    x: Float32Array,
    bias: Float32Array | null,
    pre: Float32Array,
    out: Float32Array,
    rows: number,
    cols: number,
    act: ActivationCode,
    param: number,
  ): void;

  /** dx[i] = dy[i]·f'(pre[i]) for n elements (out[i] = f(pre[i]) is given too). dx may alias dy. */
  activationBackward(
    dy: Float32Array,
    pre: Float32Array,
    out: Float32Array,
    dx: Float32Array,
    n: number,
    act: ActivationCode,
    param: number,
  ): void;

  /** out[j] (+)= Σ_r x[r, j] over a [rows × cols] matrix. */
  columnSums(x: Float32Array, out: Float32Array, rows: number, cols: number, accumulate: boolean): void;

  /**
   * Batch-norm training forward over a [rows × cols] matrix, per column j:
   * mean[j], variance[j] (biased, divide by rows); xhat = (x − mean)/sqrt(variance + eps);
   * out = gamma·xhat + beta (gamma/beta null mean 1/0). Writes xhat (needed by backward)
   * and invStd[j] = 1/sqrt(variance + eps).
   */
  batchNormTrainForward(
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
  ): void;

  /**
   * Batch-norm backward (training statistics), per column j:
   * dgamma[j] = Σ dy·xhat, dbeta[j] = Σ dy,
   * dx = gamma·invStd/rows · (rows·dy − dbeta − xhat·dgamma).
   * dgamma / dbeta are written (not accumulated); gamma null means 1.
   */
  batchNormTrainBackward(
    dy: Float32Array,
    xhat: Float32Array,
    gamma: Float32Array | null,
    invStd: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    rows: number,
    cols: number,
  ): void;

  /**
   * Batch normalization in inference mode (ops/batch-norm.ts), float64 per element:
   * out = (γ·(x − mean))·inv + β with inv = 1/√(variance + epsilon) per column; null γ and β mean 1 and 0.
   */
  batchNormInference(
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array | null,
    beta: Float32Array | null,
    out: Float32Array,
    rows: number,
    cols: number,
    epsilon: number,
  ): void;

  /**
   * Its backward: dx = (dy·γ)·inv; dgamma = Σ (dy·(x − mean))·inv and dbeta = Σ dy over the rows, in row order
   * with float32 partial sums.
   */
  batchNormInferenceBackward(
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
  ): void;

  /** out[i] = a[i]·b[i] for n elements (dropout masks); out may alias a or b. */
  multiply(a: Float32Array, b: Float32Array, out: Float32Array, n: number): void;

  /**
   * Dropout's keep mask from the xoshiro128** generator of tensor/rng.ts with state `state` (4 words,
   * advanced in place): out[i] = keep when draw i / 2^32 ≥ rate, else 0 — the draws n calls of
   * Random.uniform() would make, in the same order.
   */
  keepMask(state: Uint32Array, out: Float32Array, n: number, rate: number, keep: number): void;

  /**
   * y[i] += alpha·x[i] for n elements (SGD's update). Returns whether every updated y[i] is finite: the training
   * loop's check of the new weights, done in the same pass.
   */
  scaledAdd(y: Float32Array, x: Float32Array, alpha: number, n: number): boolean;

  /**
   * Adam's update of one variable (nn/optimizers/adam.ts), for n elements, in float64 arithmetic on the float32
   * values with each stored result rounded to float32: m ← m + (g − m)·c1; v ← v + (g² − v)·c2; with vHat
   * (AMSGrad) vHat ← max(vHat, v) and d = vHat, else d = v; w ← w − alpha·m/(√d + epsilon).
   * c1 = 1 − β₁, c2 = 1 − β₂.
   */
  adamUpdate(
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
  ): void;

  /**
   * RMSprop's update (nn/optimizers/rmsprop.ts), float64 as adamUpdate, c = 1 − rho: v ← rho·v + c·g·g;
   * d = v, or centered (avg given) avg ← rho·avg + c·g and d = v − avg²; u = lr·g/√(d + epsilon);
   * with momentum (mom given) mom ← mu·mom + u and w ← w − mom, else w ← w − u.
   */
  rmspropUpdate(
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
  ): void;

  /** Adagrad (nn/optimizers/adagrad.ts), float64 as adamUpdate: a ← a + g²; w ← w − lr·g/√(a + epsilon). */
  adagradUpdate(w: Float32Array, g: Float32Array, a: Float32Array, n: number, lr: number, epsilon: number): void;

  /**
   * Adadelta (nn/optimizers/adadelta.ts), float64 as adamUpdate, c = 1 − rho: ag ← rho·ag + c·g·g;
   * δ = −(√(ad + epsilon)·g)/√(ag + epsilon); ad ← rho·ad + c·δ·δ; w ← w + lr·δ.
   */
  adadeltaUpdate(
    w: Float32Array,
    g: Float32Array,
    ag: Float32Array,
    ad: Float32Array,
    n: number,
    lr: number,
    rho: number,
    epsilon: number,
  ): void;

  /**
   * Adamax (nn/optimizers/adamax.ts), float64 as adamUpdate: m ← m + (g − m)·c1; u ← max(b2·u, |g|);
   * w ← w − lr·m/(correction·(u + epsilon)).
   */
  adamaxUpdate(
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    u: Float32Array,
    n: number,
    lr: number,
    c1: number,
    b2: number,
    correction: number,
    epsilon: number,
  ): void;

  /** Lion (optimizers/lion.ts), float64: w ← w − lr·sign(m·b1 + g·(1 − b1)); m ← m·b2 + g·(1 − b2). */
  lionUpdate(w: Float32Array, g: Float32Array, m: Float32Array, n: number, lr: number, b1: number, b2: number): void;

  /** Decoupled weight decay, float64: w ← w − w·decay. */
  weightDecay(w: Float32Array, n: number, decay: number): void;

  /**
   * Nadam (optimizers/nadam.ts), float64 as adamUpdate: m ← m + (g − m)·c1; v ← v + (g² − v)·c2;
   * w ← w − lr·(uNext·m/d1 + cT·g/d2)/(√(v/vCorrection) + epsilon).
   */
  nadamUpdate(
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
    epsilon: number,
  ): void;

  /** use_ema's moving average (optimizers/optimizer.ts), float64: average ← momentum·average + complement·w. */
  emaUpdate(average: Float32Array, w: Float32Array, n: number, momentum: number, complement: number): void;

  /**
   * SGD with momentum (nn/optimizers/sgd.ts), float64 as adamUpdate: u = mu·v − lr·g; v ← u; w ← w + u, or with
   * Nesterov w ← w + (mu·u − lr·g), u unrounded in both.
   */
  momentumUpdate(
    w: Float32Array,
    g: Float32Array,
    v: Float32Array,
    n: number,
    lr: number,
    mu: number,
    nesterov: boolean,
  ): void;

  /**
   * Unfolds images b0 ≤ b < b1 into rows of a matrix [(b1 − b0)·outH·outW, kh·kw·inC], one row per output
   * position, columns in the kernel's [kh, kw, inC] order (0 where the window leaves the image).
   */
  im2col(x: Float32Array, cols: Float32Array, g: ConvGeometry, b0: number, b1: number): void;

  /** The adjoint of im2col: adds each row's entries back onto dx (accumulates; dx is not cleared). */
  col2im(dcols: Float32Array, dx: Float32Array, g: ConvGeometry, b0: number, b1: number): void;

  /**
   * 2-D max (`max`) or average pooling over [batch, outH, outW, inC] windows; padded positions are skipped
   * (max: −∞; average: divides by the valid count). Max writes each output's input index to argmax.
   */
  pool2dForward(x: Float32Array, out: Float32Array, argmax: Int32Array | null, g: ConvGeometry, max: boolean): void;

  /** Pooling backward: dx (overwritten) from dy and, for max, the forward's argmax. */
  pool2dBackward(dy: Float32Array, dx: Float32Array, argmax: Int32Array | null, g: ConvGeometry, max: boolean): void;

  /** Index of the first NaN or ±Inf among the first n elements of x, or -1. */
  firstNonFinite(x: Float32Array, n: number): number;

  // Softmax and the losses (ops/activation.ts, ops/losses.ts). Their results are defined by Math.exp and
  // Math.log's float64 bits, and their rows are short (classes), so the wasm backend runs the JS reference; a
  // backend that keeps data elsewhere (a GPU) implements them where the data is.

  /** Softmax along rows of `cols`: out = exp(x − max)/Σ exp(x − max), float64 sums. */
  softmax(x: Float32Array, out: Float32Array, rows: number, cols: number): void;

  /** Softmax backward: dx = y ⊙ (dy − Σ_j dy_j·y_j), row by row. */
  softmaxBackward(dy: Float32Array, y: Float32Array, dx: Float32Array, rows: number, cols: number): void;

  /**
   * Cross-entropy from logits z (rows × classes), summed over the rows: Σ_r Σ_j t_rj·(logsumexp(z_r) − z_rj).
   * t is one-hot from integer labels when `sparse` (targets holds `rows` class ids), else given per class.
   */
  softmaxCrossEntropy(z: Float32Array, targets: Float32Array, sparse: boolean, rows: number, classes: number): number;

  /** Its gradient from p = softmax(z): g_rj = scale·((Σ_i t_ri)·p_rj − t_rj). */
  softmaxCrossEntropyBackward(
    probs: Float32Array,
    targets: Float32Array,
    sparse: boolean,
    g: Float32Array,
    rows: number,
    classes: number,
    scale: number,
  ): void;

  /** Sigmoid cross-entropy from logits, summed: Σ max(z, 0) − z·t + log(1 + e^(−|z|)). */
  sigmoidCrossEntropy(z: Float32Array, t: Float32Array, n: number): number;

  /** Its gradient: g = scale·(σ(z) − t). */
  sigmoidCrossEntropyBackward(z: Float32Array, t: Float32Array, g: Float32Array, n: number, scale: number): void;

  /** Squared error, summed: Σ (p − t)². */
  squaredError(pred: Float32Array, t: Float32Array, n: number): number;

  /** Its gradient: g = scale·(p − t). */
  squaredErrorBackward(pred: Float32Array, t: Float32Array, g: Float32Array, n: number, scale: number): void;

  /** One LSTM step's gate arithmetic (js/recurrent-cells.ts documents the four). */
  lstmCell: typeof cells.lstmCell;
  lstmCellBackward: typeof cells.lstmCellBackward;
  /** One GRU step's gate arithmetic (reset_after = true). */
  gruCell: typeof cells.gruCell;
  gruCellBackward: typeof cells.gruCellBackward;
}

/**
 * denseGrads as its three kernels in turn (`activationBackward`, `matmulScanned`, `columnSums`): the JS
 * reference, and the wasm backend's path for arrays outside its memory.
 */
export function denseGradsFrom(
  k: Pick<KernelBackend, 'activationBackward' | 'matmulScanned' | 'columnSums'>,
  ...[x, dy, pre, out, dz, dw, db, rows, inFeatures, units, act, param]: Parameters<KernelBackend['denseGrads']>
): number {
  if (act !== ActivationCode.Linear || dz !== dy) k.activationBackward(dy, pre, out, dz, rows * units, act, param);
  const first = k.matmulScanned(x, dz, dw, inFeatures, units, rows, true, false);
  if (db !== null) k.columnSums(dz, db, rows, units, false);
  return first;
}
