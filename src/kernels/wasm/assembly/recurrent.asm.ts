// Fused gate arithmetic of one recurrent step (LSTM, GRU reset_after), forward and backward, four cells at a time;
// the same formulas as src/kernels/js/recurrent-cells.ts. Activations: linear (0), relu (1), sigmoid (4), tanh (5),
// hard sigmoid (11); the JS side (wasm-backend.ts, GATE_CODES) sends any other code to the reference.
import { splat, vsigmoid, vtanh } from './vmath.asm';

// @ts-ignore: decorator
@inline function actv(x: v128, code: i32): v128 {
  switch (code) {
    case 1: return v128.andnot(x, f32x4.lt(x, splat(0)));
    case 4: return vsigmoid(x);
    case 5: return vtanh(x);
    case 11: return f32x4.min(f32x4.max(f32x4.add(f32x4.mul(x, splat(1.0 / 6.0)), splat(0.5)), splat(0)), splat(1));
    default: return x;
  }
}

/** f'(x) from x and y = f(x), kinks as activation-math.ts. */
// @ts-ignore: decorator
@inline function slope(x: v128, y: v128, code: i32): v128 {
  const one = splat(1);
  switch (code) {
    case 1: return v128.and(one, f32x4.gt(x, splat(0)));
    case 4: return f32x4.mul(y, f32x4.sub(one, y));
    case 5: return f32x4.mul(f32x4.sub(one, y), f32x4.add(one, y));
    case 11: return v128.and(splat(1.0 / 6.0), v128.and(f32x4.gt(x, splat(-3)), f32x4.lt(x, splat(3))));
    default: return one;
  }
}

/** Four lanes at p, or (tail) one value in lane 0. */
// @ts-ignore: decorator
@inline function ld(p: usize, full: bool): v128 {
  return full ? v128.load(p) : f32x4.splat(load<f32>(p));
}
// @ts-ignore: decorator
@inline function st(p: usize, v: v128, full: bool): void {
  if (full) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

// @ts-ignore: decorator
@inline function lstmLanes(
  z: usize, gates: usize, cPrev: usize, c: usize, tc: usize, h: usize, a: usize, k: usize, ub: usize,
  act: i32, recAct: i32, full: bool,
): void {
  const i = actv(ld(z + a, full), recAct);
  const f = actv(ld(z + a + ub, full), recAct);
  const g = actv(ld(z + a + 2 * ub, full), act);
  const o = actv(ld(z + a + 3 * ub, full), recAct);
  st(gates + a, i, full);
  st(gates + a + ub, f, full);
  st(gates + a + 2 * ub, g, full);
  st(gates + a + 3 * ub, o, full);
  const cv = f32x4.add(f32x4.mul(f, ld(cPrev + k, full)), f32x4.mul(i, g));
  const t = actv(cv, act);
  st(c + k, cv, full);
  st(tc + k, t, full);
  st(h + k, f32x4.mul(o, t), full);
}

// @ts-ignore: decorator
@inline function lstmLoop(
  z: usize, gates: usize, cPrev: usize, c: usize, tc: usize, h: usize, rows: i32, units: i32, act: i32, recAct: i32,
): void {
  const ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const zr = <usize>r * 4 * ub, hr = <usize>r * ub;
    let j: usize = 0;
    for (; j + 16 <= ub; j += 16) lstmLanes(z, gates, cPrev, c, tc, h, zr + j, hr + j, ub, act, recAct, true);
    for (; j < ub; j += 4) lstmLanes(z, gates, cPrev, c, tc, h, zr + j, hr + j, ub, act, recAct, false);
  }
}

/** LSTM step forward (see lstmCell in recurrent-cells.ts): gates i, f, g, o; c = f·cPrev + i·g; h = o·act(c). */
export function lstmCell(
  z: usize, gates: usize, cPrev: usize, c: usize, tc: usize, h: usize, rows: i32, units: i32, act: i32, recAct: i32,
): void {
  // Specialised loops for Keras's default pair and its Keras 2 / TF.js variant; the rest switch per vector.
  if (act == 5 && recAct == 4) lstmLoop(z, gates, cPrev, c, tc, h, rows, units, 5, 4);
  else if (act == 5 && recAct == 11) lstmLoop(z, gates, cPrev, c, tc, h, rows, units, 5, 11);
  else lstmLoop(z, gates, cPrev, c, tc, h, rows, units, act, recAct);
}

// @ts-ignore: decorator
@inline function lstmBackLanes(
  dh: usize, dc: usize, z: usize, gates: usize, cPrev: usize, c: usize, tc: usize, dz: usize, a: usize, k: usize,
  ub: usize, act: i32, recAct: i32, full: bool,
): void {
  const i = ld(gates + a, full), f = ld(gates + a + ub, full);
  const g = ld(gates + a + 2 * ub, full), o = ld(gates + a + 3 * ub, full);
  const t = ld(tc + k, full), d = ld(dh + k, full);
  const dcv = f32x4.add(ld(dc + k, full), f32x4.mul(f32x4.mul(d, o), slope(ld(c + k, full), t, act)));
  st(dc + k, f32x4.mul(dcv, f), full);
  st(dz + a, f32x4.mul(f32x4.mul(dcv, g), slope(ld(z + a, full), i, recAct)), full);
  st(dz + a + ub, f32x4.mul(f32x4.mul(dcv, ld(cPrev + k, full)), slope(ld(z + a + ub, full), f, recAct)), full);
  st(dz + a + 2 * ub, f32x4.mul(f32x4.mul(dcv, i), slope(ld(z + a + 2 * ub, full), g, act)), full);
  st(dz + a + 3 * ub, f32x4.mul(f32x4.mul(d, t), slope(ld(z + a + 3 * ub, full), o, recAct)), full);
}

// @ts-ignore: decorator
@inline function lstmBackLoop(
  dh: usize, dc: usize, z: usize, gates: usize, cPrev: usize, c: usize, tc: usize, dz: usize, rows: i32, units: i32,
  act: i32, recAct: i32,
): void {
  const ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const zr = <usize>r * 4 * ub, hr = <usize>r * ub;
    let j: usize = 0;
    for (; j + 16 <= ub; j += 16) {
      lstmBackLanes(dh, dc, z, gates, cPrev, c, tc, dz, zr + j, hr + j, ub, act, recAct, true);
    }
    for (; j < ub; j += 4) lstmBackLanes(dh, dc, z, gates, cPrev, c, tc, dz, zr + j, hr + j, ub, act, recAct, false);
  }
}

/** LSTM step backward: dz from dh and dc (∂L/∂c_t in, ∂L/∂c_{t−1} out). */
export function lstmCellBackward(
  dh: usize, dc: usize, z: usize, gates: usize, cPrev: usize, c: usize, tc: usize, dz: usize, rows: i32, units: i32,
  act: i32, recAct: i32,
): void {
  if (act == 5 && recAct == 4) lstmBackLoop(dh, dc, z, gates, cPrev, c, tc, dz, rows, units, 5, 4);
  else lstmBackLoop(dh, dc, z, gates, cPrev, c, tc, dz, rows, units, act, recAct);
}

// @ts-ignore: decorator
@inline function gruLanes(
  xp: usize, rec: usize, hPrev: usize, gates: usize, h: usize, a: usize, k: usize, ub: usize,
  act: i32, recAct: i32, full: bool,
): void {
  const pz = f32x4.add(ld(xp + a, full), ld(rec + a, full));
  const pr = f32x4.add(ld(xp + a + ub, full), ld(rec + a + ub, full));
  const zg = actv(pz, recAct), rg = actv(pr, recAct);
  const ph = f32x4.add(ld(xp + a + 2 * ub, full), f32x4.mul(rg, ld(rec + a + 2 * ub, full)));
  const hh = actv(ph, act);
  st(xp + a, pz, full);
  st(xp + a + ub, pr, full);
  st(xp + a + 2 * ub, ph, full);
  st(gates + a, zg, full);
  st(gates + a + ub, rg, full);
  st(gates + a + 2 * ub, hh, full);
  st(h + k, f32x4.add(f32x4.mul(zg, ld(hPrev + k, full)), f32x4.mul(f32x4.sub(splat(1), zg), hh)), full);
}

/** GRU step forward, reset_after (see gruCell in recurrent-cells.ts). */
export function gruCell(
  xp: usize, rec: usize, hPrev: usize, gates: usize, h: usize, rows: i32, units: i32, act: i32, recAct: i32,
): void {
  const ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const zr = <usize>r * 3 * ub, hr = <usize>r * ub;
    let j: usize = 0;
    for (; j + 16 <= ub; j += 16) gruLanes(xp, rec, hPrev, gates, h, zr + j, hr + j, ub, act, recAct, true);
    for (; j < ub; j += 4) gruLanes(xp, rec, hPrev, gates, h, zr + j, hr + j, ub, act, recAct, false);
  }
}

// @ts-ignore: decorator
@inline function gruBackLanes(
  dh: usize, pre: usize, rec: usize, hPrev: usize, gates: usize, dxp: usize, drec: usize, dhPrev: usize,
  a: usize, k: usize, ub: usize, act: i32, recAct: i32, full: bool,
): void {
  const zg = ld(gates + a, full), rg = ld(gates + a + ub, full), hh = ld(gates + a + 2 * ub, full);
  const d = ld(dh + k, full);
  const dzg = f32x4.mul(d, f32x4.sub(ld(hPrev + k, full), hh));
  const dhh = f32x4.mul(d, f32x4.sub(splat(1), zg));
  const dph = f32x4.mul(dhh, slope(ld(pre + a + 2 * ub, full), hh, act));
  const drg = f32x4.mul(dph, ld(rec + a + 2 * ub, full));
  const dpz = f32x4.mul(dzg, slope(ld(pre + a, full), zg, recAct));
  const dpr = f32x4.mul(drg, slope(ld(pre + a + ub, full), rg, recAct));
  st(dxp + a, dpz, full);
  st(dxp + a + ub, dpr, full);
  st(dxp + a + 2 * ub, dph, full);
  st(drec + a, dpz, full);
  st(drec + a + ub, dpr, full);
  st(drec + a + 2 * ub, f32x4.mul(dph, rg), full);
  st(dhPrev + k, f32x4.mul(d, zg), full);
}

/** GRU step backward, reset_after (see gruCellBackward in recurrent-cells.ts). */
export function gruCellBackward(
  dh: usize, pre: usize, rec: usize, hPrev: usize, gates: usize, dxp: usize, drec: usize, dhPrev: usize,
  rows: i32, units: i32, act: i32, recAct: i32,
): void {
  const ub = <usize>units << 2;
  for (let r = 0; r < rows; r++) {
    const zr = <usize>r * 3 * ub, hr = <usize>r * ub;
    let j: usize = 0;
    for (; j + 16 <= ub; j += 16) {
      gruBackLanes(dh, pre, rec, hPrev, gates, dxp, drec, dhPrev, zr + j, hr + j, ub, act, recAct, true);
    }
    for (; j < ub; j += 4) {
      gruBackLanes(dh, pre, rec, hPrev, gates, dxp, drec, dhPrev, zr + j, hr + j, ub, act, recAct, false);
    }
  }
}
