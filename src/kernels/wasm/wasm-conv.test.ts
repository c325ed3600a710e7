/**
 * The wasm convolution, pooling and recurrent-gate kernels against the JS reference: odd sizes, strides,
 * dilation, 'same' / 'causal'-style padding, extreme and −∞ inputs, arrays inside and outside the wasm memory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsBackend } from '../js/js-backend.js';
import { createWasmBackend } from './index.js';
import { fillFrom, randomArray, rng } from './test-helpers.test.js';
import { assertClose } from '../../../test/helpers/allclose.js';
import { convGeometry, type ConvPadding } from '../../ops/conv.js';
import { ActivationCode, type ConvGeometry } from '../backend.js';

const wasm = createWasmBackend({ threads: 1 });
const rand = rng(7);

/** Random values with extremes mixed in: huge magnitudes, ties, −∞ (pooling) when `withInf`. */
function extreme(n: number, withInf: boolean): Float32Array {
  const a = randomArray(n, rand, 3);
  const special = [1e30, -1e30, 3e38, -3e38, 0, -0, 1e-38, 7, 7];
  for (let i = 0; i < n; i += 5) a[i] = special[(i / 5) % special.length]!;
  if (withInf) for (let i = 3; i < n; i += 11) a[i] = -Infinity;
  return a;
}

type Case = [number[], [number, number], [number, number], [number, number], ConvPadding];
const CASES: Case[] = [
  [[2, 7, 9, 3], [3, 3], [1, 1], [1, 1], 'valid'],
  [[2, 7, 9, 3], [3, 3], [1, 1], [1, 1], 'same'],
  [[1, 8, 8, 16], [3, 3], [2, 2], [1, 1], 'same'],
  [[3, 6, 5, 1], [2, 4], [1, 3], [1, 1], 'same'],
  [[2, 9, 10, 5], [3, 2], [2, 1], [2, 3], 'same'],
  [[2, 9, 10, 8], [3, 3], [1, 1], [2, 2], 'valid'],
  [[1, 5, 7, 4], [5, 5], [3, 2], [1, 1], 'same'],
  [[1, 4, 4, 6], [4, 4], [4, 4], [1, 1], 'same'],
  [[2, 13, 13, 16], [2, 2], [2, 2], [1, 1], 'valid'],
  [[1, 7, 7, 3], [3, 3], [1, 1], [1, 1], 'causal'],
];

function name(c: Case): string {
  return `x ${c[0].join('×')} window ${c[1].join('×')} strides ${c[2].join(',')} dilation ${c[3].join(',')} ${c[4]}`;
}

function geometryOf(c: Case): ConvGeometry {
  return convGeometry(c[0], c[1], c[2], c[3], c[4]);
}

test('im2col / col2im: wasm equals the reference bit for bit, whole batch and a sub-range, inside and outside', () => {
  for (const c of CASES) {
    const g = geometryOf(c);
    const xn = g.batch * g.inH * g.inW * g.inC;
    const depth = g.kh * g.kw * g.inC;
    const x = extreme(xn, false);
    for (const [b0, b1] of [
      [0, g.batch],
      [g.batch - 1, g.batch],
    ] as const) {
      const rows = (b1 - b0) * g.outH * g.outW;
      const want = new Float32Array(rows * depth).fill(NaN);
      jsBackend.im2col(x, want, g, b0, b1);
      const dx0 = randomArray(xn, rand);
      const wantDx = dx0.slice();
      jsBackend.col2im(want, wantDx, g, b0, b1);
      for (const inside of [true, false]) {
        const place = (a: Float32Array) => (inside ? fillFrom(wasm.allocate(a.length), a) : a.slice());
        const cols = place(new Float32Array(rows * depth).fill(NaN));
        wasm.im2col(place(x), cols, g, b0, b1);
        assertClose(cols, want, want.length, `im2col ${name(c)} [${b0}, ${b1}) inside=${inside}`, { atol: 0, rtol: 0 });
        const dx = place(dx0);
        wasm.col2im(place(want), dx, g, b0, b1);
        assertClose(dx, wantDx, xn, `col2im ${name(c)} [${b0}, ${b1}) inside=${inside}`, { atol: 0, rtol: 0 });
      }
    }
  }
});

test('pooling forward and backward, max (−∞ inputs and padding, ties) and average (valid count)', () => {
  for (const c of CASES) {
    if (c[4] === 'causal') continue;
    const g = geometryOf(c);
    const xn = g.batch * g.inH * g.inW * g.inC,
      n = g.batch * g.outH * g.outW * g.inC;
    for (const max of [true, false]) {
      const x = extreme(xn, max);
      const out = new Float32Array(n),
        arg = max ? new Int32Array(n) : null;
      jsBackend.pool2dForward(x, out, arg, g, max);
      const dy = randomArray(n, rand, 2);
      const dx = new Float32Array(xn);
      jsBackend.pool2dBackward(dy, dx, arg, g, max);
      const wx = fillFrom(wasm.allocate(xn), x),
        wout = wasm.allocate(n),
        wargBuf = wasm.allocate(n);
      const warg = max ? new Int32Array(wargBuf.buffer, wargBuf.byteOffset, n) : null;
      wasm.pool2dForward(wx, wout, warg, g, max);
      const what = `${max ? 'max' : 'average'} ${name(c)}`;
      assertClose(wout, out, n, `${what} forward`, { atol: 0, rtol: 0 });
      if (max) assert.deepEqual(Array.from(warg!), Array.from(arg!), `${what} argmax`);
      const wdx = fillFrom(wasm.allocate(xn), randomArray(xn, rand)); // overwritten, not accumulated
      wasm.pool2dBackward(fillFrom(wasm.allocate(n), dy), wdx, warg, g, max);
      // Average: the reference adds dy/count in double before rounding; the kernel rounds the quotient first.
      assertClose(wdx, dx, xn, `${what} backward`, max ? { atol: 0, rtol: 0 } : { atol: 1e-7, rtol: 1e-6 });
    }
  }
});

const GATE_CODES: [string, ActivationCode, ActivationCode][] = [
  ['tanh/sigmoid', ActivationCode.Tanh, ActivationCode.Sigmoid],
  ['tanh/hard_sigmoid', ActivationCode.Tanh, ActivationCode.HardSigmoid],
  ['relu/sigmoid', ActivationCode.Relu, ActivationCode.Sigmoid],
  ['linear/hard_sigmoid', ActivationCode.Linear, ActivationCode.HardSigmoid],
  ['elu/sigmoid (reference path)', ActivationCode.Elu, ActivationCode.Sigmoid],
];

/** Gate pre-activations: random of scale 4 with ±50, ±3 (hard-sigmoid kinks) and 0 mixed in. */
function preActivations(n: number): Float32Array {
  const a = randomArray(n, rand, 4);
  const special = [50, -50, 3, -3, 0, 20, -20, 1e-3];
  for (let i = 0; i < n; i += 3) a[i] = special[(i / 3) % special.length]!;
  return a;
}

const TOL = { atol: 2e-6, rtol: 2e-6 };

test('LSTM gate pass forward and backward: wasm against the reference, odd widths', () => {
  for (const [label, act, recAct] of GATE_CODES) {
    for (const [rows, units] of [
      [1, 1],
      [3, 5],
      [2, 8],
      [4, 64],
      [3, 13],
    ] as const) {
      const bu = rows * units,
        g4 = 4 * bu;
      const z = preActivations(g4),
        cPrev = randomArray(bu, rand, 3);
      const ref = {
        gates: new Float32Array(g4),
        c: new Float32Array(bu),
        tc: new Float32Array(bu),
        h: new Float32Array(bu),
      };
      jsBackend.lstmCell(z, ref.gates, cPrev, ref.c, ref.tc, ref.h, rows, units, act, recAct, 0);
      const w = (a: Float32Array) => fillFrom(wasm.allocate(a.length), a);
      const wz = w(z),
        wc = wasm.allocate(bu),
        wtc = wasm.allocate(bu),
        wh = wasm.allocate(bu),
        wg = wasm.allocate(g4);
      const wcPrev = w(cPrev);
      wasm.lstmCell(wz, wg, wcPrev, wc, wtc, wh, rows, units, act, recAct, 0);
      const what = `${label} ${rows}×${units}`;
      assertClose(wg, ref.gates, g4, `${what} gates`, TOL);
      assertClose(wc, ref.c, bu, `${what} c`, TOL);
      assertClose(wh, ref.h, bu, `${what} h`, TOL);
      const dh = randomArray(bu, rand, 2),
        dc = randomArray(bu, rand, 2);
      const dz = new Float32Array(g4),
        dcRef = dc.slice();
      jsBackend.lstmCellBackward(dh, dcRef, z, ref.gates, cPrev, ref.c, ref.tc, dz, rows, units, act, recAct, 0);
      const wdc = w(dc),
        wdz = wasm.allocate(g4);
      wasm.lstmCellBackward(
        w(dh),
        wdc,
        wz,
        w(ref.gates),
        wcPrev,
        w(ref.c),
        w(ref.tc),
        wdz,
        rows,
        units,
        act,
        recAct,
        0,
      );
      assertClose(wdz, dz, g4, `${what} dz`, TOL);
      assertClose(wdc, dcRef, bu, `${what} dc`, TOL);
    }
  }
});

test('GRU gate pass (reset_after) forward and backward: wasm against the reference, odd widths', () => {
  for (const [label, act, recAct] of GATE_CODES) {
    for (const [rows, units] of [
      [1, 1],
      [3, 5],
      [4, 64],
      [2, 13],
    ] as const) {
      const bu = rows * units,
        g3 = 3 * bu;
      const xp = preActivations(g3),
        rec = preActivations(g3),
        hPrev = randomArray(bu, rand);
      const pre = xp.slice(),
        gates = new Float32Array(g3),
        h = new Float32Array(bu);
      jsBackend.gruCell(pre, rec, hPrev, gates, h, rows, units, act, recAct, 0);
      const w = (a: Float32Array) => fillFrom(wasm.allocate(a.length), a);
      const wpre = w(xp),
        wrec = w(rec),
        whPrev = w(hPrev),
        wg = wasm.allocate(g3),
        wh = wasm.allocate(bu);
      wasm.gruCell(wpre, wrec, whPrev, wg, wh, rows, units, act, recAct, 0);
      const what = `${label} ${rows}×${units}`;
      assertClose(wpre, pre, g3, `${what} pre`, TOL);
      assertClose(wg, gates, g3, `${what} gates`, TOL);
      assertClose(wh, h, bu, `${what} h`, TOL);
      const dh = randomArray(bu, rand, 2);
      const dxp = new Float32Array(g3),
        drec = new Float32Array(g3),
        dhPrev = new Float32Array(bu);
      jsBackend.gruCellBackward(dh, pre, rec, hPrev, gates, dxp, drec, dhPrev, rows, units, act, recAct, 0);
      const wdxp = wasm.allocate(g3),
        wdrec = wasm.allocate(g3),
        wdhPrev = wasm.allocate(bu);
      wasm.gruCellBackward(w(dh), w(pre), wrec, whPrev, w(gates), wdxp, wdrec, wdhPrev, rows, units, act, recAct, 0);
      assertClose(wdxp, dxp, g3, `${what} dxp`, TOL);
      assertClose(wdrec, drec, g3, `${what} drec`, TOL);
      assertClose(wdhPrev, dhPrev, bu, `${what} dhPrev`, TOL);
    }
  }
});
