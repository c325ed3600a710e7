/** The wasm vector kernels (optimizer update, NaN/Inf scan) against the JS reference. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsBackend } from '../js/js-backend.js';
import { createWasmBackend } from './index.js';
import { fillFrom, randomArray, rng } from './test-helpers.test.js';
import { assertClose } from '../../../test/helpers/allclose.js';

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

test('firstNonFinite: finds the first NaN/±Inf at any position, -1 when all finite', () => {
  for (const n of [1, 4, 5, 17, 100]) {
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
