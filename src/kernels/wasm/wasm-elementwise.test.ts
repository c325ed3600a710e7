/** The wasm element-wise kernels against the JS reference: activations, column sums, batch norm. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsBackend } from '../js/js-backend.js';
import { createWasmBackend } from './index.js';
import { fillFrom, randomArray, rng, startedThreads } from './test-helpers.test.js';
import { assertClose } from '../../../test/helpers/allclose.js';
import { ACTIVATION_CODES } from '../../../test/helpers/activation-codes.js';

const wasm = createWasmBackend({ threads: 1 });
const rand = rng(99);

const CODES = ACTIVATION_CODES;

/** Inputs: extremes (±50, exp overflow/underflow, kinks, tiny, NaN) then random values of various scales. */
function inputs(n: number): Float32Array {
  const special = [
    0,
    -0,
    50,
    -50,
    100,
    -100,
    88,
    88.7,
    89,
    90,
    -87,
    -88,
    -104,
    -110,
    1e-7,
    -1e-7,
    1e-30,
    -1e-30,
    0.3,
    -0.3,
    0.49,
    -0.51,
    3,
    -3,
    2.999,
    -2.999,
    9,
    -9,
    10,
    -10,
    20,
    -20,
    1,
    -1,
    NaN,
  ];
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i < special.length ? special[i]! : rand() * [0.01, 1, 4, 30][i % 4]!;
  }
  return x;
}

test('biasActivation: every activation code, with and without bias, odd widths', () => {
  for (const [name, code, param] of CODES) {
    for (const [rows, cols] of [
      [1, 1],
      [3, 7],
      [13, 33],
      [2, 257],
    ] as const) {
      for (const withBias of [false, true]) {
        const n = rows * cols;
        const x = inputs(n),
          bias = withBias ? randomArray(cols, rand, 0.5) : null;
        const pre = new Float32Array(n),
          out = new Float32Array(n);
        jsBackend.biasActivation(x, bias, pre, out, rows, cols, code, param);
        const wx = fillFrom(wasm.allocate(n), x),
          wbias = bias === null ? null : fillFrom(wasm.allocate(cols), bias);
        const wpre = wasm.allocate(n),
          wout = wasm.allocate(n);
        wasm.biasActivation(wx, wbias, wpre, wout, rows, cols, code, param);
        const what = `${name} ${rows}x${cols} bias=${withBias}`;
        assertClose(wpre, pre, n, `${what} pre`, { atol: 0, rtol: 0 });
        assertClose(wout, out, n, `${what} out`);
      }
    }
  }
});

test('biasActivation: aliasing (pre = x, out = pre) inside and outside wasm memory', () => {
  const [rows, cols] = [5, 11];
  const n = rows * cols;
  for (const [name, code, param] of CODES) {
    const x = inputs(n),
      bias = randomArray(cols, rand);
    const pre = new Float32Array(n),
      out = new Float32Array(n);
    jsBackend.biasActivation(x, bias, pre, out, rows, cols, code, param);
    for (const inside of [false, true]) {
      const buf = inside ? fillFrom(wasm.allocate(n), x) : x.slice();
      wasm.biasActivation(buf, bias, buf, buf, rows, cols, code, param);
      assertClose(buf, out, n, `${name} aliased inside=${inside}`);
    }
  }
});

test('activationBackward: every activation code, dx aliasing dy, inside and outside', () => {
  for (const [name, code, param] of CODES) {
    for (const n of [1, 3, 7, 33, 100, 257]) {
      const pre = inputs(n),
        out = new Float32Array(n);
      jsBackend.biasActivation(pre, null, pre.slice(), out, 1, n, code, param);
      const dy = randomArray(n, rand, 2);
      const want = new Float32Array(n);
      jsBackend.activationBackward(dy, pre, out, want, n, code, param);
      for (const inside of [false, true]) {
        const place = (a: Float32Array): Float32Array => (inside ? fillFrom(wasm.allocate(n), a) : a.slice());
        const wdy = place(dy),
          wpre = place(pre),
          wout = place(out),
          wdx = place(new Float32Array(n));
        wasm.activationBackward(wdy, wpre, wout, wdx, n, code, param);
        assertClose(wdx, want, n, `${name} n=${n} inside=${inside}`);
        wasm.activationBackward(wdy, wpre, wout, wdy, n, code, param); // dx = dy in place
        assertClose(wdy, want, n, `${name} n=${n} inside=${inside} in place`);
      }
    }
  }
});

test('biasActivation, activationBackward, columnSums on two threads (long arrays): the single-threaded bits', () => {
  const threaded = startedThreads();
  try {
    // 331 columns: the slabs' rows (a multiple of 4) start rows at every alignment; 2^17 + 3 elements: an odd tail
    // (and, for the column sums, columns in ranges of 16 with a ragged last one).
    for (const [rows, cols] of [
      [400, 331],
      [1, (1 << 17) + 3],
      [150, 1001],
    ] as const) {
      const n = rows * cols;
      const x = inputs(n),
        bias = randomArray(cols, rand, 0.5),
        dy = randomArray(n, rand, 2);
      for (const [name, code, param] of CODES) {
        for (const withBias of [false, true]) {
          const one = [x, new Float32Array(n), new Float32Array(n)].map((a) => fillFrom(wasm.allocate(n), a));
          const two = [x, new Float32Array(n), new Float32Array(n)].map((a) => fillFrom(threaded.allocate(n), a));
          const b1 = withBias ? fillFrom(wasm.allocate(cols), bias) : null,
            b2 = withBias ? fillFrom(threaded.allocate(cols), bias) : null;
          wasm.biasActivation(one[0]!, b1, one[1]!, one[2]!, rows, cols, code, param);
          threaded.biasActivation(two[0]!, b2, two[1]!, two[2]!, rows, cols, code, param);
          const what = `${name} ${rows}x${cols} bias=${withBias}`;
          assert.deepEqual(two[1], one[1], `${what} pre`);
          assert.deepEqual(two[2], one[2], `${what} out`);
          const dx1 = fillFrom(wasm.allocate(n), dy),
            dx2 = fillFrom(threaded.allocate(n), dy);
          if (!withBias) {
            wasm.activationBackward(dx1, one[1]!, one[2]!, dx1, n, code, param); // dx = dy, in place
            threaded.activationBackward(dx2, two[1]!, two[2]!, dx2, n, code, param);
            assert.deepEqual(dx2, dx1, `${what} backward`);
          }
          // Give the buffers back: 2 × 28 rounds of 1.5 MB arrays would fill a fixed-size heap.
          for (const a of [...one, dx1, ...(b1 ? [b1] : [])]) wasm.release(a);
          for (const a of [...two, dx2, ...(b2 ? [b2] : [])]) threaded.release(a);
        }
      }
      // Column sums: threads take column ranges, each column summed in row order, as on one thread.
      for (const accumulate of [false, true]) {
        const start = randomArray(cols, rand);
        const s1 = fillFrom(wasm.allocate(cols), start),
          s2 = fillFrom(threaded.allocate(cols), start);
        const x1 = fillFrom(wasm.allocate(n), dy),
          x2 = fillFrom(threaded.allocate(n), dy);
        wasm.columnSums(x1, s1, rows, cols, accumulate);
        threaded.columnSums(x2, s2, rows, cols, accumulate);
        assert.deepEqual(s2, s1, `columnSums ${rows}x${cols} accumulate=${accumulate}`);
        const want = new Float32Array(start);
        jsBackend.columnSums(dy, want, rows, cols, accumulate);
        assertClose(s2, want, cols, `columnSums ${rows}x${cols} against the reference`);
      }
    }
  } finally {
    threaded.dispose();
  }
});

test('columnSums, with and without accumulate', () => {
  for (const [rows, cols] of [
    [1, 1],
    [3, 7],
    [32, 100],
    [7, 33],
    [257, 3],
    [0, 5],
  ] as const) {
    const x = randomArray(rows * cols, rand),
      out0 = randomArray(cols, rand);
    for (const acc of [false, true]) {
      const want = out0.slice();
      jsBackend.columnSums(x, want, rows, cols, acc);
      for (const inside of [false, true]) {
        const wx = inside ? fillFrom(wasm.allocate(rows * cols), x) : x.slice();
        const wout = inside ? fillFrom(wasm.allocate(cols), out0) : out0.slice();
        wasm.columnSums(wx, wout, rows, cols, acc);
        assertClose(wout, want, cols, `${rows}x${cols} acc=${acc} inside=${inside}`, { atol: 1e-6, rtol: 1e-6 });
      }
    }
  }
});

test('batch norm forward and backward, with and without gamma/beta', () => {
  for (const [rows, cols] of [
    [1, 1],
    [2, 3],
    [32, 100],
    [7, 33],
    [257, 7],
  ] as const) {
    for (const affine of [false, true]) {
      for (const inside of [false, true]) {
        const n = rows * cols;
        const mk = (len: number, src?: Float32Array): Float32Array => {
          const a = inside ? wasm.allocate(len) : new Float32Array(len);
          if (src !== undefined) a.set(src);
          return a;
        };
        const x = randomArray(n, rand, 3),
          gamma = affine ? randomArray(cols, rand) : null;
        const beta = affine ? randomArray(cols, rand) : null;
        const ref = {
          out: new Float32Array(n),
          xhat: new Float32Array(n),
          mean: new Float32Array(cols),
          variance: new Float32Array(cols),
          invStd: new Float32Array(cols),
        };
        jsBackend.batchNormTrainForward(
          x,
          gamma,
          beta,
          ref.out,
          ref.xhat,
          ref.mean,
          ref.variance,
          ref.invStd,
          rows,
          cols,
          1e-3,
        );
        const got = { out: mk(n), xhat: mk(n), mean: mk(cols), variance: mk(cols), invStd: mk(cols) };
        wasm.batchNormTrainForward(
          mk(n, x),
          gamma && mk(cols, gamma),
          beta && mk(cols, beta),
          got.out,
          got.xhat,
          got.mean,
          got.variance,
          got.invStd,
          rows,
          cols,
          1e-3,
        );
        const what = `${rows}x${cols} affine=${affine} inside=${inside}`;
        for (const key of ['out', 'xhat', 'mean', 'variance', 'invStd'] as const) {
          assertClose(got[key], ref[key], key === 'out' || key === 'xhat' ? n : cols, `${what} ${key}`);
        }

        const dy = randomArray(n, rand);
        const dx = new Float32Array(n),
          dgamma = new Float32Array(cols),
          dbeta = new Float32Array(cols);
        jsBackend.batchNormTrainBackward(dy, ref.xhat, gamma, ref.invStd, dx, dgamma, dbeta, rows, cols);
        const wdx = mk(n),
          wdgamma = mk(cols),
          wdbeta = mk(cols);
        wasm.batchNormTrainBackward(
          mk(n, dy),
          mk(n, ref.xhat),
          gamma && mk(cols, gamma),
          mk(cols, ref.invStd),
          wdx,
          wdgamma,
          wdbeta,
          rows,
          cols,
        );
        assertClose(wdx, dx, n, `${what} dx`, { atol: 1e-5 });
        assertClose(wdgamma, dgamma, cols, `${what} dgamma`);
        assertClose(wdbeta, dbeta, cols, `${what} dbeta`);
      }
    }
  }
});

test('batch norm inference forward and backward: the same bits as the JS reference, inside and outside', () => {
  for (const [rows, cols] of [
    [1, 1],
    [3, 5],
    [32, 100],
    [7, 33],
  ] as const) {
    const n = rows * cols;
    const x = randomArray(n, rand, 3),
      dy = randomArray(n, rand, 1);
    const mean = randomArray(cols, rand, 1),
      variance = randomArray(cols, rand, 2).map((v) => Math.abs(v) + 0.01);
    const gammaValues = randomArray(cols, rand, 2),
      betaValues = randomArray(cols, rand, 1);
    for (const withGamma of [false, true]) {
      for (const withBeta of [false, true]) {
        const gamma = withGamma ? gammaValues : null,
          beta = withBeta ? betaValues : null;
        const ref = new Float32Array(n);
        jsBackend.batchNormInference(x, mean, variance, gamma, beta, ref, rows, cols, 1e-3);
        const refDx = new Float32Array(n),
          refDg = new Float32Array(cols),
          refDb = new Float32Array(cols);
        jsBackend.batchNormInferenceBackward(dy, x, mean, variance, gamma, refDx, refDg, refDb, rows, cols, 1e-3);
        const inside = <T>(a: T) => (a instanceof Float32Array ? fillFrom(wasm.allocate(a.length), a) : a);
        for (const place of [inside, <T>(a: T) => a]) {
          const [wx, wdy, wm, wv, wg, wb] = [x, dy, mean, variance, gamma, beta].map(place);
          const out = place(new Float32Array(n));
          wasm.batchNormInference(wx!, wm!, wv!, wg ?? null, wb ?? null, out, rows, cols, 1e-3);
          const where = `${rows}×${cols} gamma=${withGamma} beta=${withBeta} ${place === inside ? 'inside' : 'out'}`;
          assert.deepEqual(out, ref, `forward ${where}`);
          const dx = place(new Float32Array(n)),
            dg = place(new Float32Array(cols).fill(9)),
            db = place(new Float32Array(cols).fill(9));
          wasm.batchNormInferenceBackward(wdy!, wx!, wm!, wv!, wg ?? null, dx, dg, db, rows, cols, 1e-3);
          assert.deepEqual([dx, dg, db], [refDx, refDg, refDb], `backward ${where}`);
        }
      }
    }
  }
});
