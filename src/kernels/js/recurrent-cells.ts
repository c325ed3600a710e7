/**
 * The fused gate arithmetic of one recurrent time step (LSTM, GRU), over `rows` batch rows of `units` cells.
 * The matrix products (input projection, recurrent product) are done by `matmul`; these loops do the rest in
 * one pass. Gate order is Keras's: LSTM i, f, c, o; GRU z, r, h (each block `units` wide). Sigmoid and tanh
 * take an inlined path; any other activation goes through the scalar formulas of activation-math.ts.
 */
import { ActivationCode } from '../backend.js';
import { activate, derivative } from '../activation-math.js';

function sig(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : 1 - 1 / (1 + Math.exp(x));
}

/**
 * LSTM step: z [rows × 4u] holds the gate pre-activations (x·W + h·U + b); writes the gate values to `gates`
 * (i, f, g, o), the cell state c = f·cPrev + i·g, tc = act(c) and h = o·tc.
 */
export function lstmCell(
  z: Float32Array,
  gates: Float32Array,
  cPrev: Float32Array,
  c: Float32Array,
  tc: Float32Array,
  h: Float32Array,
  rows: number,
  units: number,
  act: ActivationCode,
  recAct: ActivationCode,
  param: number,
): void {
  const fast = act === ActivationCode.Tanh && recAct === ActivationCode.Sigmoid;
  const u4 = 4 * units;
  for (let r = 0; r < rows; r++) {
    const zr = r * u4,
      hr = r * units;
    for (let j = 0; j < units; j++) {
      const a = zr + j;
      let i: number, f: number, g: number, o: number;
      if (fast) {
        i = sig(z[a]!);
        f = sig(z[a + units]!);
        g = Math.tanh(z[a + 2 * units]!);
        o = sig(z[a + 3 * units]!);
      } else {
        i = activate(recAct, z[a]!, 0);
        f = activate(recAct, z[a + units]!, 0);
        g = activate(act, z[a + 2 * units]!, param);
        o = activate(recAct, z[a + 3 * units]!, 0);
      }
      gates[a] = i;
      gates[a + units] = f;
      gates[a + 2 * units] = g;
      gates[a + 3 * units] = o;
      const cv = f * cPrev[hr + j]! + i * g;
      const t = fast ? Math.tanh(cv) : activate(act, cv, param);
      c[hr + j] = cv;
      tc[hr + j] = t;
      h[hr + j] = o * t;
    }
  }
}

/**
 * LSTM step backward: given dh (∂L/∂h_t) and dc (∂L/∂c_t from the step after; replaced in place by
 * ∂L/∂c_{t−1}),
 * writes dz [rows × 4u], the gradient of the gate pre-activations.
 */
export function lstmCellBackward(
  dh: Float32Array,
  dc: Float32Array,
  z: Float32Array,
  gates: Float32Array,
  cPrev: Float32Array,
  c: Float32Array,
  tc: Float32Array,
  dz: Float32Array,
  rows: number,
  units: number,
  act: ActivationCode,
  recAct: ActivationCode,
  param: number,
): void {
  const fast = act === ActivationCode.Tanh && recAct === ActivationCode.Sigmoid;
  const u4 = 4 * units;
  for (let r = 0; r < rows; r++) {
    const zr = r * u4,
      hr = r * units;
    for (let j = 0; j < units; j++) {
      const a = zr + j,
        k = hr + j;
      const i = gates[a]!,
        f = gates[a + units]!,
        g = gates[a + 2 * units]!,
        o = gates[a + 3 * units]!;
      const t = tc[k]!,
        d = dh[k]!;
      const dtc = fast ? 1 - t * t : derivative(act, c[k]!, t, param);
      const dcv = dc[k]! + d * o * dtc;
      const di = dcv * g,
        df = dcv * cPrev[k]!,
        dg = dcv * i,
        dout = d * t;
      dc[k] = dcv * f;
      if (fast) {
        dz[a] = di * i * (1 - i);
        dz[a + units] = df * f * (1 - f);
        dz[a + 2 * units] = dg * (1 - g * g);
        dz[a + 3 * units] = dout * o * (1 - o);
      } else {
        dz[a] = di * derivative(recAct, z[a]!, i, 0);
        dz[a + units] = df * derivative(recAct, z[a + units]!, f, 0);
        dz[a + 2 * units] = dg * derivative(act, z[a + 2 * units]!, g, param);
        dz[a + 3 * units] = dout * derivative(recAct, z[a + 3 * units]!, o, 0);
      }
    }
  }
}

/**
 * GRU step (Keras reset_after = true): xp [rows × 3u] holds x·W + b_input, rec [rows × 3u] holds h·U + b_recurrent.
 * z = σ(xz + rz), r = σ(xr + rr), ĥ = act(xh + r·rh), h = z·hPrev + (1 − z)·ĥ. The pre-activations replace xp
 * in place; the gate values (z, r, ĥ) go to `gates`.
 */
export function gruCell(
  xp: Float32Array,
  rec: Float32Array,
  hPrev: Float32Array,
  gates: Float32Array,
  h: Float32Array,
  rows: number,
  units: number,
  act: ActivationCode,
  recAct: ActivationCode,
  param: number,
): void {
  const fast = act === ActivationCode.Tanh && recAct === ActivationCode.Sigmoid;
  const u3 = 3 * units;
  for (let r = 0; r < rows; r++) {
    const zr = r * u3,
      hr = r * units;
    for (let j = 0; j < units; j++) {
      const a = zr + j;
      const pz = xp[a]! + rec[a]!,
        pr = xp[a + units]! + rec[a + units]!;
      const zg = fast ? sig(pz) : activate(recAct, pz, 0);
      const rg = fast ? sig(pr) : activate(recAct, pr, 0);
      const ph = xp[a + 2 * units]! + rg * rec[a + 2 * units]!;
      const hh = fast ? Math.tanh(ph) : activate(act, ph, param);
      xp[a] = pz;
      xp[a + units] = pr;
      xp[a + 2 * units] = ph;
      gates[a] = zg;
      gates[a + units] = rg;
      gates[a + 2 * units] = hh;
      h[hr + j] = zg * hPrev[hr + j]! + (1 - zg) * hh;
    }
  }
}

/**
 * GRU step backward (reset_after = true): given dh, writes dxp (∂L/∂ of x·W + b_input, rows × 3u), drec
 * (∂L/∂ of h·U + b_recurrent) and dhPrev = dh·z (the direct path; the caller adds drec·Uᵀ).
 */
export function gruCellBackward(
  dh: Float32Array,
  pre: Float32Array,
  rec: Float32Array,
  hPrev: Float32Array,
  gates: Float32Array,
  dxp: Float32Array,
  drec: Float32Array,
  dhPrev: Float32Array,
  rows: number,
  units: number,
  act: ActivationCode,
  recAct: ActivationCode,
  param: number,
): void {
  const fast = act === ActivationCode.Tanh && recAct === ActivationCode.Sigmoid;
  const u3 = 3 * units;
  for (let r = 0; r < rows; r++) {
    const zr = r * u3,
      hr = r * units;
    for (let j = 0; j < units; j++) {
      const a = zr + j,
        k = hr + j;
      const zg = gates[a]!,
        rg = gates[a + units]!,
        hh = gates[a + 2 * units]!;
      const d = dh[k]!;
      const dzg = d * (hPrev[k]! - hh);
      const dhh = d * (1 - zg);
      const dph = dhh * (fast ? 1 - hh * hh : derivative(act, pre[a + 2 * units]!, hh, param));
      const drg = dph * rec[a + 2 * units]!;
      const dpz = dzg * (fast ? zg * (1 - zg) : derivative(recAct, pre[a]!, zg, 0));
      const dpr = drg * (fast ? rg * (1 - rg) : derivative(recAct, pre[a + units]!, rg, 0));
      dxp[a] = dpz;
      dxp[a + units] = dpr;
      dxp[a + 2 * units] = dph;
      drec[a] = dpz;
      drec[a + units] = dpr;
      drec[a + 2 * units] = dph * rg;
      dhPrev[k] = d * zg;
    }
  }
}
