/** The wasm vector kernels (optimizer update, NaN/Inf scan) against the JS reference. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsBackend } from '../js/js-backend.js';
import { createWasmBackend } from './index.js';
import { fillFrom, randomArray, rng, startedThreads } from './test-helpers.test.js';
import { assertClose } from '../../../test/helpers/allclose.js';
import { Random } from '../../tensor/rng.js';

const wasm = createWasmBackend({ threads: 1 });
const rand = rng(7);

test('scaledAdd: y += alpha·x for odd lengths, inside and outside wasm memory', () => {
  for (const n of [1, 3, 4, 7, 33, 100, 1001]) {
    const y = randomArray(n, rand, 1),
      x = randomArray(n, rand, 1);
    const expected = Float32Array.from(y);
    jsBackend.scaledAdd(expected, x, -0.01, n);
    const wy = fillFrom(wasm.allocate(n), y),
      wx = fillFrom(wasm.allocate(n), x);
    wasm.scaledAdd(wy, wx, -0.01, n);
    assertClose(wy, expected, n, `n=${n}`);
    const plainY = Float32Array.from(y);
    wasm.scaledAdd(plainY, x, -0.01, n);
    assertClose(plainY, expected, n, `n=${n} (outside wasm memory)`);
  }
});

test('scaledAdd: says whether every updated value is finite (overflow anywhere, inside and outside)', () => {
  for (const n of [1, 3, 4, 7, 33, 100]) {
    for (const at of [-1, 0, n >> 1, n - 1]) {
      const y = randomArray(n, rand, 1),
        x = randomArray(n, rand, 1);
      if (at >= 0) {
        y[at] = 3e38;
        x[at] = -1; // 3e38 − 1e38·(−1) overflows to +Inf
      }
      const inside = fillFrom(wasm.allocate(n), y);
      for (const [name, got] of [
        ['js', jsBackend.scaledAdd(Float32Array.from(y), x, -1e38, n)],
        ['wasm', wasm.scaledAdd(inside, fillFrom(wasm.allocate(n), x), -1e38, n)],
        ['wasm outside', wasm.scaledAdd(Float32Array.from(y), x, -1e38, n)],
      ] as const)
        assert.equal(got, at < 0, `${name} n=${n} overflow at ${at}`);
      if (at >= 0) assert.equal(inside[at], Infinity);
    }
  }
});

test('every optimizer update kernel: the same bits as the JS reference (all variants, odd lengths)', () => {
  for (const n of [1, 2, 3, 5, 8, 33, 1001]) {
    const g = randomArray(n, rand, 1),
      w = randomArray(n, rand, 1),
      m = randomArray(n, rand, 0.1),
      v = randomArray(n, rand, 0.1).map(Math.abs),
      vHat = randomArray(n, rand, 0.1).map(Math.abs);
    for (const amsgrad of [false, true]) {
      const ref = [w, m, v, vHat].map((a) => Float32Array.from(a));
      jsBackend.adamUpdate(ref[0]!, g, ref[1]!, ref[2]!, amsgrad ? ref[3]! : null, n, 3e-3, 0.1, 1e-3, 1e-7);
      const got = [w, m, v, vHat].map((a) => fillFrom(wasm.allocate(n), a));
      const wg = fillFrom(wasm.allocate(n), g);
      wasm.adamUpdate(got[0]!, wg, got[1]!, got[2]!, amsgrad ? got[3]! : null, n, 3e-3, 0.1, 1e-3, 1e-7);
      for (let k = 0; k < 4; k++) assert.deepEqual(got[k], ref[k], `adam n=${n} amsgrad=${amsgrad} array ${k}`);
      // Arrays outside wasm memory (state restored from a file) take the reference loop: same bits.
      const plain = [w, m, v, vHat].map((a) => Float32Array.from(a));
      wasm.adamUpdate(plain[0]!, g, plain[1]!, plain[2]!, amsgrad ? plain[3]! : null, n, 3e-3, 0.1, 1e-3, 1e-7);
      for (let k = 0; k < 4; k++) assert.deepEqual(plain[k], ref[k]);
    }
    for (const [withMomentum, centered] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const run = (be: typeof jsBackend, arrays: Float32Array[], grad: Float32Array) =>
        be.rmspropUpdate(
          arrays[0]!,
          grad,
          arrays[1]!,
          withMomentum ? arrays[2]! : null,
          centered ? arrays[3]! : null,
          n,
          1e-3,
          0.9,
          0.5,
          1e-7,
        );
      const ref = [w, v, m, vHat].map((a) => Float32Array.from(a));
      run(jsBackend, ref, g);
      const got = [w, v, m, vHat].map((a) => fillFrom(wasm.allocate(n), a));
      run(wasm, got, fillFrom(wasm.allocate(n), g));
      assert.deepEqual(got, ref, `rmsprop n=${n} momentum=${withMomentum} centered=${centered}`);
    }
    // The other rules, each on fresh copies: [arrays the rule updates (w first)], how to call it.
    type Rule = [Float32Array[], (be: typeof jsBackend, a: Float32Array[], grad: Float32Array) => void];
    const zeroAt0 = [g, m].map((a) => Float32Array.from(a).fill(0, 0, 1)); // Lion's sign(0) case
    const rules: Record<string, Rule> = {
      adagrad: [[w, vHat], (be, a, grad) => be.adagradUpdate(a[0]!, grad, a[1]!, n, 0.01, 1e-7)],
      adadelta: [[w, v, vHat], (be, a, grad) => be.adadeltaUpdate(a[0]!, grad, a[1]!, a[2]!, n, 1, 0.95, 1e-7)],
      adamax: [
        [w, m, vHat],
        (be, a, grad) => be.adamaxUpdate(a[0]!, grad, a[1]!, a[2]!, n, 1e-3, 0.1, 0.999, 0.19, 1e-7),
      ],
      lion: [[w, zeroAt0[1]!], (be, a, grad) => be.lionUpdate(a[0]!, grad, a[1]!, n, 1e-4, 0.9, 0.99)],
      weightDecay: [[w], (be, a) => be.weightDecay(a[0]!, n, 4e-3)],
      nadam: [
        [w, m, v],
        (be, a, grad) =>
          be.nadamUpdate(a[0]!, grad, a[1]!, a[2]!, n, 1e-3, 0.1, 1e-3, 0.4537, 0.7, 0.5482, 0.55, 0.003, 1e-7),
      ],
      ema: [[vHat, w], (be, a) => be.emaUpdate(a[0]!, a[1]!, n, 0.99, 1 - 0.99)],
    };
    for (const [name, [arrays, call]] of Object.entries(rules)) {
      const ref = arrays.map((a) => Float32Array.from(a));
      const grad = name === 'lion' ? zeroAt0[0]! : g;
      call(jsBackend, ref, grad);
      const got = arrays.map((a) => fillFrom(wasm.allocate(n), a));
      call(wasm, got, fillFrom(wasm.allocate(n), grad));
      assert.deepEqual(got, ref, `${name} n=${n}`);
    }
    for (const nesterov of [false, true]) {
      const ref = [w, m].map((a) => Float32Array.from(a));
      jsBackend.momentumUpdate(ref[0]!, g, ref[1]!, n, 0.01, 0.9, nesterov);
      const got = [w, m].map((a) => fillFrom(wasm.allocate(n), a));
      wasm.momentumUpdate(got[0]!, fillFrom(wasm.allocate(n), g), got[1]!, n, 0.01, 0.9, nesterov);
      assert.deepEqual(got, ref, `momentum n=${n} nesterov=${nesterov}`);
    }
  }
});

test('firstNonFinite: finds the first NaN/±Inf at any position, -1 when all finite', () => {
  for (const n of [1, 4, 5, 17, 64, 100, 257, 1000]) {
    const clean = fillFrom(wasm.allocate(n), randomArray(n, rand, 1e30));
    assert.equal(wasm.firstNonFinite(clean, n), -1);
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const at of [0, n >> 1, n - 1]) {
        const x = fillFrom(wasm.allocate(n), randomArray(n, rand, 1));
        x[at] = bad;
        if (at + 1 < n) x[n - 1] = NaN;
        assert.equal(wasm.firstNonFinite(x, n), at, `n=${n}, ${bad} at ${at}`);
        assert.equal(jsBackend.firstNonFinite(x, n), at);
      }
    }
  }
  // The largest finite float32 and denormals are finite.
  const edge = fillFrom(wasm.allocate(3), new Float32Array([3.4028234663852886e38, 1e-45, -0]));
  assert.equal(wasm.firstNonFinite(edge, 3), -1);
});

test('firstNonFinite outside wasm memory (staged in 2^15-float blocks): the first bad value at block edges', () => {
  const block = 1 << 15,
    n = 3 * block + 1000;
  const x = randomArray(n, rand, 1);
  assert.equal(wasm.firstNonFinite(x, n), -1);
  assert.equal(wasm.firstNonFinite(x, 5), -1);
  for (const at of [0, block - 1, block, 2 * block + 7, 3 * block - 1, 3 * block, n - 1]) {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const y = Float32Array.from(x);
      y[at] = bad;
      if (at + 1 < n) y[n - 1] = NaN; // a later one must not win
      assert.equal(wasm.firstNonFinite(y, n), at, `${bad} at ${at}`);
      assert.equal(jsBackend.firstNonFinite(y, n), at);
      assert.equal(wasm.firstNonFinite(y, at), -1, `n = ${at} stops before it`);
    }
  }
});

test('scaledAdd and firstNonFinite on two threads (long arrays): the single-threaded results and flags', () => {
  const threaded = startedThreads();
  try {
    for (const n of [1 << 17, (1 << 17) + 13, 1_000_003]) {
      // Slabs are n/4 long (rounded up to 64): put overflows and NaNs in every slab, at and beside its edges.
      const slab = Math.ceil(n / 4 / 64) * 64;
      const y = randomArray(n, rand, 1),
        x = randomArray(n, rand, 1);
      // The kernel's arithmetic: a float32 product, then a float32 sum.
      const alpha = Math.fround(-0.01);
      const expected = y.map((v, i) => Math.fround(v + Math.fround(alpha * x[i]!)));
      const wy = fillFrom(threaded.allocate(n), y);
      assert.equal(threaded.scaledAdd(wy, fillFrom(threaded.allocate(n), x), -0.01, n), true);
      assert.deepEqual(wy, expected, `n=${n}`);
      assert.equal(threaded.firstNonFinite(wy, n), -1);
      for (const at of [0, slab - 1, slab, 2 * slab + 5, 3 * slab, n - 1]) {
        const oy = fillFrom(threaded.allocate(n), y),
          ox = fillFrom(threaded.allocate(n), x);
        oy[at] = 3e38;
        ox[at] = -1; // 3e38 − 1e38·(−1) overflows to +Inf
        assert.equal(threaded.scaledAdd(oy, ox, -1e38, n), false, `n=${n} overflow at ${at}`);
        assert.equal(oy[at], Infinity);
        const scan = fillFrom(threaded.allocate(n), y);
        scan[at] = NaN;
        scan[n - 1] = -Infinity; // a later one in the last slab: the first is reported
        assert.equal(threaded.firstNonFinite(scan, n), at, `n=${n}, NaN at ${at}`);
        assert.equal(jsBackend.firstNonFinite(scan, n), at);
      }
    }
  } finally {
    threaded.dispose();
  }
});

test('multiply: bit-identical to the JS reference at extreme inputs, odd lengths, aliasing, outside wasm', () => {
  const extremes = [0, -0, 1e-45, -1e-45, 1.1754942e-38, 3.4028234663852886e38, -3.4028234663852886e38, 1.5, -2];
  extremes.push(Infinity, -Infinity, NaN, 1e-20, 1e20, 2 ** 64, 2 ** -64);
  for (const n of [1, 3, 4, 7, 33, 256, 1001]) {
    const a = randomArray(n, rand, 1),
      b = randomArray(n, rand, 3);
    for (let i = 0; i < n; i++) {
      if (i % 3 === 0) a[i] = extremes[i % extremes.length]!;
      if (i % 5 === 0) b[i] = extremes[(i * 7) % extremes.length]!;
    }
    const expected = new Float32Array(n);
    jsBackend.multiply(a, b, expected, n);
    const wa = fillFrom(wasm.allocate(n), a),
      wb = fillFrom(wasm.allocate(n), b),
      wout = wasm.allocate(n);
    wasm.multiply(wa, wb, wout, n);
    assert.deepEqual(wout, expected, `n=${n}`);
    wasm.multiply(wa, wb, wa, n); // out aliases a
    assert.deepEqual(wa, expected, `n=${n} (aliased)`);
    const plain = new Float32Array(n);
    wasm.multiply(a, b, plain, n);
    assert.deepEqual(plain, expected, `n=${n} (outside wasm memory)`);
  }
});

test('keepMask: the draws of Random.uniform(), in order, on both backends; state advanced alike', () => {
  for (const [n, rate] of [
    [1, 0.5],
    [7, 0.2],
    [3200, 0.2],
    [1001, 0],
    [64, 0.999999],
    [64, 1],
  ] as const) {
    const keep = 1 / (1 - Math.min(rate, 0.5));
    const reference = new Random(99 + n);
    const want = new Float32Array(n);
    for (let i = 0; i < n; i++) want[i] = reference.uniform() >= rate ? keep : 0;
    for (const be of [jsBackend, wasm]) {
      const words = Uint32Array.from(new Random(99 + n).getState().s);
      const out = be === wasm ? wasm.allocate(n) : new Float32Array(n);
      be.keepMask(words, out, n, rate, keep);
      assert.deepEqual(out, want, `${be.name} n=${n} rate=${rate}`);
      assert.deepEqual(
        [...words],
        reference.getState().s.map((v) => v >>> 0),
        `${be.name}: state after ${n} draws`,
      );
    }
  }
});
