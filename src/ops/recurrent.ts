/**
 * Recurrent layers as single ops over a whole sequence, with hand-written backpropagation through time.
 * Inputs are [batch, T, features]; weights in Keras's layout (kernel [F, g·u], recurrent kernel [u, g·u], gates in
 * Keras order). The input projection of every step is ONE matrix product; each step adds one recurrent product
 * and one fused gate pass (kernels' lstmCell / gruCell); every buffer comes from the step arena, none per step.
 * Backward runs the steps in reverse, then forms ∂W, ∂U and ∂b with one product / one column sum each.
 * The initial state is zero (Keras's default).
 */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';
import { kernels } from '../kernels/registry.js';
import { ActivationCode, type KernelBackend } from '../kernels/backend.js';
import { activate, derivative } from '../kernels/activation-math.js';
import { formatShape } from '../tensor/shape.js';

export interface RecurrentOptions {
  /** The cell activation (tanh by default in Keras). */
  activation: ActivationCode;
  /** Its parameter (ELU alpha, leaky slope). */
  activationParam?: number;
  /** The gates' activation (LSTM, GRU): sigmoid in Keras 3. */
  recurrentActivation?: ActivationCode;
  /** Output every step's h ([batch, T, units]) rather than the last ([batch, units]). */
  returnSequences: boolean;
  /** GRU only: Keras's reset_after (default true). */
  resetAfter?: boolean;
  /** Multiplies h_{t−1} before the recurrent product (recurrent dropout), [batch, units], same for every step. */
  recurrentMask?: Float32Array | null;
  /** Called by the backward pass with ‖∂L/∂h_t‖ for t = 0 … T−1 (gradients through time). */
  onGradientNorms?: (norms: Float64Array) => void;
}

/** dst[j, i, :] = src[i, j, :] for a [a, b, f] array (batch-major ⇄ time-major). */
function swap01(src: Float32Array, dst: Float32Array, a: number, b: number, f: number): Float32Array {
  // Plain index loops: a subarray per row would allocate T·B view objects per training step.
  for (let i = 0; i < a; i++)
    for (let j = 0; j < b; j++) {
      const from = (i * b + j) * f,
        to = (j * a + i) * f;
      for (let c = 0; c < f; c++) dst[to + c] = src[from + c]!;
    }
  return dst;
}

function norm(v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

interface Shapes {
  B: number;
  T: number;
  F: number;
  u: number;
}

function checkShapes(name: string, x: Tensor, kernel: Tensor, rec: Tensor, gates: number): Shapes {
  const [B, T, F] = x.shape as [number, number, number];
  const u = rec.shape[0]!;
  if (x.rank !== 3 || kernel.shape[0] !== F || kernel.shape[1] !== gates * u || rec.shape[1] !== gates * u) {
    throw new Error(
      `${name}: input ${formatShape(x.shape)} (expected [batch, T, features]) does not match kernel ` +
        `${formatShape(kernel.shape)} and recurrent kernel ${formatShape(rec.shape)}`,
    );
  }
  if (T < 1) throw new Error(`${name}: needs at least one time step; received ${formatShape(x.shape)}`);
  return { B, T, F, u };
}

/** h_t·mask (recurrent dropout) into a scratch buffer, or h_t itself. */
function masked(h: Float32Array, mask: Float32Array | null, scratch: Float32Array): Float32Array {
  if (mask === null) return h;
  for (let i = 0; i < h.length; i++) scratch[i] = h[i]! * mask[i]!;
  return scratch;
}

/** The common frame: time-major input, input projection, output layout, and the backward's final products. */
class Frame {
  readonly k: KernelBackend = kernels();
  readonly xt: Float32Array;
  readonly bu: number;
  private tmp: Float32Array | null = null;
  constructor(
    readonly s: Shapes,
    readonly x: Tensor,
    readonly o: RecurrentOptions,
  ) {
    this.xt = swap01(x.data, alloc(s.T * s.B * s.F), s.B, s.T, s.F);
    this.bu = s.B * s.u;
  }

  /** A [batch, units] scratch buffer, taken once per op. */
  scratch(): Float32Array {
    return (this.tmp ??= alloc(this.bu));
  }

  /** x·W (+ bias) for all T·B rows, time-major, [T·B, cols]. */
  project(kernel: Tensor, bias: Float32Array | null, cols: number): Float32Array {
    const { T, B, F } = this.s;
    const z = alloc(T * B * cols);
    this.k.matmul(this.xt, kernel.data, z, T * B, cols, F, false, false, false);
    if (bias !== null) this.k.biasActivation(z, bias, z, z, T * B, cols, ActivationCode.Linear, 0);
    return z;
  }

  /** The op's output from h (slots 1..T of a [(T+1), B, u] buffer). */
  output(h: Float32Array): Tensor {
    const { B, T, u } = this.s;
    if (this.o.returnSequences) return new Tensor(swap01(h.subarray(this.bu), alloc(B * T * u), T, B, u), [B, T, u]);
    const out = alloc(this.bu);
    out.set(h.subarray(T * this.bu));
    return new Tensor(out, [B, u]);
  }

  /** ∂L/∂h_t from the output alone, time-major [T, B, u] (zeros except the last step without returnSequences). */
  outputGradient(dy: Float32Array): Float32Array {
    const { B, T, u } = this.s;
    if (this.o.returnSequences) return swap01(dy, alloc(T * this.bu), B, T, u);
    const g = alloc(T * this.bu).fill(0);
    g.set(dy, (T - 1) * this.bu);
    return g;
  }

  /** ∂W = xᵀ·dz, ∂x = dz·Wᵀ (back to batch-major), over all steps at once. */
  inputGradients(kernel: Tensor, dz: Float32Array, cols: number): [Float32Array | null, Float32Array | null] {
    const { B, T, F } = this.s;
    let dx: Float32Array | null = null,
      dw: Float32Array | null = null;
    if (kernel.requiresGrad) {
      dw = alloc(kernel.size);
      this.k.matmul(this.xt, dz, dw, F, cols, T * B, true, false, false);
    }
    if (this.x.requiresGrad) {
      const dxt = alloc(T * B * F);
      this.k.matmul(dz, kernel.data, dxt, T * B, F, cols, false, true, false);
      dx = swap01(dxt, alloc(B * T * F), T, B, F);
    }
    return [dx, dw];
  }

  columnSums(dz: Float32Array, cols: number): Float32Array {
    const out = alloc(cols);
    this.k.columnSums(dz, out, this.s.T * this.s.B, cols, false);
    return out;
  }
}

/** The recurrent kernel's gradient Σ_t (m⊙h_{t−1})ᵀ·dz_t as one product over the stored states. */
function recurrentGradient(f: Frame, h: Float32Array, dz: Float32Array, cols: number): Float32Array {
  const { T, B, u } = f.s;
  const mask = f.o.recurrentMask ?? null;
  let hp = h.subarray(0, T * f.bu);
  if (mask !== null) {
    const m = alloc(T * f.bu);
    for (let t = 0; t < T; t++) for (let i = 0; i < f.bu; i++) m[t * f.bu + i] = hp[t * f.bu + i]! * mask[i]!;
    hp = m;
  }
  const du = alloc(u * cols);
  f.k.matmul(hp, dz, du, u, cols, T * B, true, false, false);
  return du;
}

/** dhNext = (dz·Uᵀ)⊙mask (+ dhNext when accumulating). */
function recurrentBack(f: Frame, dz: Float32Array, rec: Tensor, dhNext: Float32Array, cols: number, acc: boolean) {
  const mask = f.o.recurrentMask ?? null;
  const { B, u } = f.s;
  if (mask === null) {
    f.k.matmul(dz, rec.data, dhNext, B, u, cols, false, true, acc);
    return;
  }
  const tmp = f.scratch();
  f.k.matmul(dz, rec.data, tmp, B, u, cols, false, true, false);
  for (let i = 0; i < f.bu; i++) dhNext[i] = (acc ? dhNext[i]! : 0) + tmp[i]! * mask[i]!;
}

/**
 * Keras SimpleRNN: h_t = act(x_t·W + h_{t−1}·U + b).
 * @example simpleRnn(x, kernel, recurrentKernel, bias, { activation: ActivationCode.Tanh, returnSequences: false })
 */
export function simpleRnn(x: Tensor, kernel: Tensor, rec: Tensor, bias: Tensor | null, o: RecurrentOptions): Tensor {
  const s = checkShapes('simpleRnn', x, kernel, rec, 1);
  const f = new Frame(s, x, o);
  const { T, B, u } = s;
  const bu = f.bu,
    k = f.k,
    act = o.activation,
    param = o.activationParam ?? 0;
  const mask = o.recurrentMask ?? null;
  const scratch = mask === null ? null : alloc(bu);
  const z = f.project(kernel, null, u);
  const h = alloc((T + 1) * bu);
  h.fill(0, 0, bu);
  for (let t = 0; t < T; t++) {
    const zt = z.subarray(t * bu, (t + 1) * bu);
    if (t > 0)
      k.matmul(masked(h.subarray(t * bu, (t + 1) * bu), mask, scratch!), rec.data, zt, B, u, u, false, false, true);
    k.biasActivation(
      zt,
      bias === null ? null : bias.data,
      zt,
      h.subarray((t + 1) * bu, (t + 2) * bu),
      B,
      u,
      act,
      param,
    );
  }
  const inputs = bias === null ? [x, kernel, rec] : [x, kernel, rec, bias];
  return record(f.output(h), inputs, (dy) => {
    const dh = f.outputGradient(dy);
    const dz = alloc(T * bu);
    const norms = o.onGradientNorms ? new Float64Array(T) : null;
    for (let t = T - 1; t >= 0; t--) {
      const dht = dh.subarray(t * bu, (t + 1) * bu),
        dzt = dz.subarray(t * bu, (t + 1) * bu);
      if (norms) norms[t] = norm(dht);
      k.activationBackward(
        dht,
        z.subarray(t * bu, (t + 1) * bu),
        h.subarray((t + 1) * bu, (t + 2) * bu),
        dzt,
        bu,
        act,
        param,
      );
      if (t > 0) recurrentBack(f, dzt, rec, dh.subarray((t - 1) * bu, t * bu), u, true);
    }
    if (norms) o.onGradientNorms!(norms);
    const [dx, dw] = f.inputGradients(kernel, dz, u);
    const du = rec.requiresGrad ? recurrentGradient(f, h, dz, u) : null;
    const db = bias !== null && bias.requiresGrad ? f.columnSums(dz, u) : null;
    return bias === null ? [dx, dw, du] : [dx, dw, du, db];
  });
}

/**
 * Keras LSTM: z = x_t·W + h_{t−1}·U + b split into i, f, c, o; c_t = σ(f)·c_{t−1} + σ(i)·act(c);
 * h_t = σ(o)·act(c_t) (σ = the recurrent activation).
 * @example lstm(x, kernel, recurrentKernel, bias, { activation: ActivationCode.Tanh, returnSequences: true })
 */
export function lstm(x: Tensor, kernel: Tensor, rec: Tensor, bias: Tensor | null, o: RecurrentOptions): Tensor {
  const s = checkShapes('lstm', x, kernel, rec, 4);
  const f = new Frame(s, x, o);
  const { T, B, u } = s;
  const bu = f.bu,
    k = f.k,
    g4 = 4 * bu,
    act = o.activation,
    recAct = o.recurrentActivation ?? ActivationCode.Sigmoid,
    param = o.activationParam ?? 0;
  const mask = o.recurrentMask ?? null;
  const scratch = mask === null ? null : alloc(bu);
  const z = f.project(kernel, bias === null ? null : bias.data, 4 * u);
  const gates = alloc(T * g4);
  const h = alloc((T + 1) * bu),
    c = alloc((T + 1) * bu),
    tc = alloc(T * bu);
  h.fill(0, 0, bu);
  c.fill(0, 0, bu);
  for (let t = 0; t < T; t++) {
    const zt = z.subarray(t * g4, (t + 1) * g4);
    if (t > 0)
      k.matmul(masked(h.subarray(t * bu, (t + 1) * bu), mask, scratch!), rec.data, zt, B, 4 * u, u, false, false, true);
    k.lstmCell(
      zt,
      gates.subarray(t * g4, (t + 1) * g4),
      c.subarray(t * bu, (t + 1) * bu),
      c.subarray((t + 1) * bu, (t + 2) * bu),
      tc.subarray(t * bu, (t + 1) * bu),
      h.subarray((t + 1) * bu, (t + 2) * bu),
      B,
      u,
      act,
      recAct,
      param,
    );
  }
  const inputs = bias === null ? [x, kernel, rec] : [x, kernel, rec, bias];
  return record(f.output(h), inputs, (dy) => {
    const dh = f.outputGradient(dy);
    const dz = alloc(T * g4);
    const dc = alloc(bu).fill(0);
    const norms = o.onGradientNorms ? new Float64Array(T) : null;
    for (let t = T - 1; t >= 0; t--) {
      const dht = dh.subarray(t * bu, (t + 1) * bu),
        dzt = dz.subarray(t * g4, (t + 1) * g4);
      if (norms) norms[t] = norm(dht);
      k.lstmCellBackward(
        dht,
        dc,
        z.subarray(t * g4, (t + 1) * g4),
        gates.subarray(t * g4, (t + 1) * g4),
        c.subarray(t * bu, (t + 1) * bu),
        c.subarray((t + 1) * bu, (t + 2) * bu),
        tc.subarray(t * bu, (t + 1) * bu),
        dzt,
        B,
        u,
        act,
        recAct,
        param,
      );
      if (t > 0) recurrentBack(f, dzt, rec, dh.subarray((t - 1) * bu, t * bu), 4 * u, true);
    }
    if (norms) o.onGradientNorms!(norms);
    const [dx, dw] = f.inputGradients(kernel, dz, 4 * u);
    const du = rec.requiresGrad ? recurrentGradient(f, h, dz, 4 * u) : null;
    const db = bias !== null && bias.requiresGrad ? f.columnSums(dz, 4 * u) : null;
    return bias === null ? [dx, dw, du] : [dx, dw, du, db];
  });
}

/**
 * Keras GRU, gates z, r, h. resetAfter (default): ĥ = act(x·W_h + b_h + r·(h_{t−1}·U_h + b'_h)), bias [2, 3u]
 * (input row, recurrent row); otherwise ĥ = act(x·W_h + (r·h_{t−1})·U_h + b_h), bias [3u]. Then
 * h_t = z·h_{t−1} + (1 − z)·ĥ.
 * @example gru(x, kernel, recurrentKernel, bias, { activation: ActivationCode.Tanh, returnSequences: false })
 */
export function gru(x: Tensor, kernel: Tensor, rec: Tensor, bias: Tensor | null, o: RecurrentOptions): Tensor {
  const s = checkShapes('gru', x, kernel, rec, 3);
  return (o.resetAfter ?? true)
    ? gruResetAfter(s, x, kernel, rec, bias, o)
    : gruResetBefore(s, x, kernel, rec, bias, o);
}

function gruResetAfter(s: Shapes, x: Tensor, kernel: Tensor, rec: Tensor, bias: Tensor | null, o: RecurrentOptions) {
  const f = new Frame(s, x, o);
  const { T, B, u } = s;
  const bu = f.bu,
    k = f.k,
    g3 = 3 * bu,
    act = o.activation,
    recAct = o.recurrentActivation ?? ActivationCode.Sigmoid,
    param = o.activationParam ?? 0;
  const mask = o.recurrentMask ?? null;
  const scratch = mask === null ? null : alloc(bu);
  const bIn = bias === null ? null : bias.data.subarray(0, 3 * u),
    bRec = bias === null ? null : bias.data.subarray(3 * u, 6 * u);
  const xp = f.project(kernel, bIn, 3 * u);
  const r = alloc(T * g3),
    gates = alloc(T * g3),
    h = alloc((T + 1) * bu);
  h.fill(0, 0, bu);
  for (let t = 0; t < T; t++) {
    const rt = r.subarray(t * g3, (t + 1) * g3);
    if (t > 0)
      k.matmul(
        masked(h.subarray(t * bu, (t + 1) * bu), mask, scratch!),
        rec.data,
        rt,
        B,
        3 * u,
        u,
        false,
        false,
        false,
      );
    else rt.fill(0);
    if (bRec !== null) k.biasActivation(rt, bRec, rt, rt, B, 3 * u, ActivationCode.Linear, 0);
    const xt = xp.subarray(t * g3, (t + 1) * g3);
    k.gruCell(
      xt,
      rt,
      h.subarray(t * bu, (t + 1) * bu),
      gates.subarray(t * g3, (t + 1) * g3),
      h.subarray((t + 1) * bu, (t + 2) * bu),
      B,
      u,
      act,
      recAct,
      param,
    );
  }
  const inputs = bias === null ? [x, kernel, rec] : [x, kernel, rec, bias];
  return record(f.output(h), inputs, (dy) => {
    const dh = f.outputGradient(dy);
    const dxp = alloc(T * g3),
      dr = alloc(T * g3),
      direct = alloc(bu);
    const norms = o.onGradientNorms ? new Float64Array(T) : null;
    for (let t = T - 1; t >= 0; t--) {
      const dht = dh.subarray(t * bu, (t + 1) * bu),
        drt = dr.subarray(t * g3, (t + 1) * g3);
      if (norms) norms[t] = norm(dht);
      k.gruCellBackward(
        dht,
        xp.subarray(t * g3, (t + 1) * g3),
        r.subarray(t * g3, (t + 1) * g3),
        h.subarray(t * bu, (t + 1) * bu),
        gates.subarray(t * g3, (t + 1) * g3),
        dxp.subarray(t * g3, (t + 1) * g3),
        drt,
        direct,
        B,
        u,
        act,
        recAct,
        param,
      );
      if (t > 0) {
        const prev = dh.subarray((t - 1) * bu, t * bu);
        for (let i = 0; i < bu; i++) prev[i]! += direct[i]!;
        recurrentBack(f, drt, rec, prev, 3 * u, true);
      }
    }
    if (norms) o.onGradientNorms!(norms);
    const [dx, dw] = f.inputGradients(kernel, dxp, 3 * u);
    const du = rec.requiresGrad ? recurrentGradient(f, h, dr, 3 * u) : null;
    let db: Float32Array | null = null;
    if (bias !== null && bias.requiresGrad) {
      db = alloc(6 * u);
      k.columnSums(dxp, db.subarray(0, 3 * u), T * B, 3 * u, false);
      k.columnSums(dr, db.subarray(3 * u), T * B, 3 * u, false);
    }
    return bias === null ? [dx, dw, du] : [dx, dw, du, db];
  });
}

/** reset_after = false: the reset gate multiplies h_{t−1} before the candidate's recurrent product. */
function gruResetBefore(s: Shapes, x: Tensor, kernel: Tensor, rec: Tensor, bias: Tensor | null, o: RecurrentOptions) {
  const f = new Frame(s, x, o);
  const { T, B, u } = s;
  const bu = f.bu,
    k = f.k,
    g3 = 3 * bu,
    u3 = 3 * u,
    act = o.activation,
    recAct = o.recurrentActivation ?? ActivationCode.Sigmoid,
    param = o.activationParam ?? 0;
  const mask = o.recurrentMask ?? null;
  const scratch = mask === null ? null : alloc(bu);
  // U split into its z|r columns [u, 2u] and its h columns [u, u], contiguous for the products.
  const uzr = alloc(2 * u * u),
    uh = alloc(u * u);
  for (let i = 0; i < u; i++) {
    uzr.set(rec.data.subarray(i * u3, i * u3 + 2 * u), i * 2 * u);
    uh.set(rec.data.subarray(i * u3 + 2 * u, (i + 1) * u3), i * u);
  }
  const pre = f.project(kernel, bias === null ? null : bias.data, u3);
  const gates = alloc(T * g3),
    rh = alloc(T * bu),
    h = alloc((T + 1) * bu),
    a = alloc(2 * bu),
    p = alloc(bu);
  h.fill(0, 0, bu);
  for (let t = 0; t < T; t++) {
    const hp = masked(h.subarray(t * bu, (t + 1) * bu), mask, scratch!);
    if (t > 0) k.matmul(hp, uzr, a, B, 2 * u, u, false, false, false);
    else a.fill(0);
    const pt = pre.subarray(t * g3, (t + 1) * g3),
      gt = gates.subarray(t * g3, (t + 1) * g3),
      rht = rh.subarray(t * bu, (t + 1) * bu);
    for (let b = 0; b < B; b++)
      for (let j = 0; j < u; j++) {
        const i = b * u3 + j;
        pt[i]! += a[b * 2 * u + j]!;
        pt[i + u]! += a[b * 2 * u + u + j]!;
        gt[i] = activate(recAct, pt[i]!, 0);
        gt[i + u] = activate(recAct, pt[i + u]!, 0);
        rht[b * u + j] = gt[i + u]! * hp[b * u + j]!;
      }
    if (t > 0) k.matmul(rht, uh, p, B, u, u, false, false, false);
    else p.fill(0);
    const hPrev = h.subarray(t * bu, (t + 1) * bu),
      ht = h.subarray((t + 1) * bu, (t + 2) * bu);
    for (let b = 0; b < B; b++)
      for (let j = 0; j < u; j++) {
        const i = b * u3 + j;
        pt[i + 2 * u]! += p[b * u + j]!;
        const hh = activate(act, pt[i + 2 * u]!, param);
        gt[i + 2 * u] = hh;
        ht[b * u + j] = gt[i]! * hPrev[b * u + j]! + (1 - gt[i]!) * hh;
      }
  }
  const inputs = bias === null ? [x, kernel, rec] : [x, kernel, rec, bias];
  return record(f.output(h), inputs, (dy) => {
    const dh = f.outputGradient(dy);
    const dpre = alloc(T * g3),
      dzr = alloc(2 * bu),
      dah = alloc(bu),
      drh = alloc(bu);
    const duzr = alloc(2 * u * u).fill(0),
      duh = alloc(u * u).fill(0);
    const norms = o.onGradientNorms ? new Float64Array(T) : null;
    for (let t = T - 1; t >= 0; t--) {
      const dht = dh.subarray(t * bu, (t + 1) * bu);
      if (norms) norms[t] = norm(dht);
      const pt = pre.subarray(t * g3, (t + 1) * g3),
        gt = gates.subarray(t * g3, (t + 1) * g3),
        dpt = dpre.subarray(t * g3, (t + 1) * g3);
      const hPrev = h.subarray(t * bu, (t + 1) * bu);
      const hp = masked(hPrev, mask, scratch!);
      for (let b = 0; b < B; b++)
        for (let j = 0; j < u; j++) {
          const i = b * u3 + j,
            q = b * u + j;
          const d = dht[q]!,
            zg = gt[i]!,
            hh = gt[i + 2 * u]!;
          dpt[i] = d * (hPrev[q]! - hh) * derivative(recAct, pt[i]!, zg, 0);
          const v = d * (1 - zg) * derivative(act, pt[i + 2 * u]!, hh, param);
          dpt[i + 2 * u] = v;
          dah[q] = v;
        }
      // ∂(r⊙h) = dah·U_hᵀ; ∂r = ∂(r⊙h)⊙h; U_h's gradient from (r⊙h)ᵀ·dah.
      k.matmul(dah, uh, drh, B, u, u, false, true, false);
      k.matmul(rh.subarray(t * bu, (t + 1) * bu), dah, duh, u, u, B, true, false, true);
      const prev = t > 0 ? dh.subarray((t - 1) * bu, t * bu) : null;
      for (let b = 0; b < B; b++)
        for (let j = 0; j < u; j++) {
          const i = b * u3 + j,
            q = b * u + j;
          const rg = gt[i + u]!;
          dpt[i + u] = drh[q]! * hp[q]! * derivative(recAct, pt[i + u]!, rg, 0);
          dzr[b * 2 * u + j] = dpt[i]!;
          dzr[b * 2 * u + u + j] = dpt[i + u]!;
          if (prev !== null) prev[q]! += dht[q]! * gt[i]! + drh[q]! * rg * (mask === null ? 1 : mask[q]!);
        }
      k.matmul(hp, dzr, duzr, u, 2 * u, B, true, false, true);
      if (prev !== null) {
        const tmp = f.scratch();
        k.matmul(dzr, uzr, tmp, B, u, 2 * u, false, true, false);
        for (let i = 0; i < bu; i++) prev[i]! += tmp[i]! * (mask === null ? 1 : mask[i]!);
      }
    }
    if (norms) o.onGradientNorms!(norms);
    const [dx, dw] = f.inputGradients(kernel, dpre, u3);
    let du: Float32Array | null = null;
    if (rec.requiresGrad) {
      du = alloc(u * u3);
      for (let i = 0; i < u; i++) {
        du.set(duzr.subarray(i * 2 * u, (i + 1) * 2 * u), i * u3);
        du.set(duh.subarray(i * u, (i + 1) * u), i * u3 + 2 * u);
      }
    }
    const db = bias !== null && bias.requiresGrad ? f.columnSums(dpre, u3) : null;
    return bias === null ? [dx, dw, du] : [dx, dw, du, db];
  });
}
