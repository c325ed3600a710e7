/** The wasm matmul against the JS reference: shapes, transposes, memory placement, threads, growth. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsBackend } from '../js/js-backend.js';
import { execFileSync } from 'node:child_process';
import { createWasmBackend, relaxedSimdSupported } from './index.js';
import { fillFrom, randomArray, rng } from './test-helpers.test.js';
import { assertClose } from '../../../test/helpers/allclose.js';

const wasm = createWasmBackend({ threads: 1 });
const rand = rng(1234);
/** [transA, transB]: the four variants. */
const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/** Reference result and an error bound: c_ref, plus 1e-5·(|A|·|B|) computed with the reference too. */
function reference(
  a: Float32Array,
  b: Float32Array,
  c0: Float32Array | null,
  m: number,
  n: number,
  k: number,
  tA: boolean,
  tB: boolean,
): { want: Float32Array; bound: Float32Array } {
  const want = c0 === null ? new Float32Array(m * n) : c0.slice();
  jsBackend.matmul(a, b, want, m, n, k, tA, tB, c0 !== null);
  const bound = new Float32Array(m * n);
  jsBackend.matmul(a.map(Math.abs), b.map(Math.abs), bound, m, n, k, tA, tB, false);
  if (c0 !== null) for (let i = 0; i < m * n; i++) bound[i]! += Math.abs(c0[i]!);
  for (let i = 0; i < m * n; i++) bound[i]! *= 1e-5;
  return { want, bound };
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 3],
  [3, 1, 7],
  [7, 3, 1],
  [4, 8, 16],
  [5, 9, 17],
  [33, 7, 100],
  [32, 100, 100],
  [3, 257, 33],
  [100, 33, 257],
  [257, 1, 3],
  [1, 300, 257],
  [130, 70, 260],
  [33, 1030, 5],
  [6, 1100, 9], // the 3×12 tile over more columns than one packed block holds
];

test('matmul: all shapes × transposes × accumulate, arrays inside wasm memory', () => {
  for (const [m, n, k] of SHAPES) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        for (const acc of [false, true]) {
          const a = randomArray(m * k, rand),
            b = randomArray(k * n, rand),
            c0 = randomArray(m * n, rand);
          const { want, bound } = reference(a, b, acc ? c0 : null, m, n, k, tA, tB);
          const wa = fillFrom(wasm.allocate(m * k), a),
            wb = fillFrom(wasm.allocate(k * n), b);
          // Without accumulate, C's old content must not matter (NaN garbage included).
          const wc = fillFrom(wasm.allocate(m * n), acc ? c0 : new Float32Array(m * n).fill(NaN));
          wasm.matmul(wa, wb, wc, m, n, k, tA, tB, acc);
          assertClose(wc, want, m * n, `${m}x${n}x${k} tA=${tA} tB=${tB} acc=${acc}`, { bound });
        }
      }
    }
  }
});

test('matmul: arrays outside wasm memory, and mixed placement, give the same result', () => {
  const [m, n, k] = [37, 45, 53];
  for (const [tA, tB] of TRANSPOSES) {
    const a = randomArray(m * k, rand),
      b = randomArray(k * n, rand),
      c0 = randomArray(m * n, rand);
    const { want, bound } = reference(a, b, c0, m, n, k, tA, tB);
    for (let mask = 0; mask < 8; mask++) {
      const place = (bit: number, src: Float32Array): Float32Array =>
        mask & bit ? fillFrom(wasm.allocate(src.length), src) : src.slice();
      const wa = place(1, a),
        wb = place(2, b),
        wc = place(4, c0);
      wasm.matmul(wa, wb, wc, m, n, k, tA, tB, true);
      assertClose(wc, want, m * n, `placement ${mask} tA=${tA} tB=${tB}`, { bound });
    }
  }
  // Subarray views of foreign memory (non-zero byteOffset) are staged correctly too.
  const big = randomArray(1000, rand);
  const a = big.subarray(10, 10 + 6 * 4),
    b = big.subarray(100, 100 + 4 * 5),
    c = new Float32Array(30);
  const want = new Float32Array(30);
  jsBackend.matmul(a, b, want, 6, 5, 4, false, false, false);
  wasm.matmul(a, b, c, 6, 5, 4, false, false, false);
  assertClose(c, want, 30, 'subarrays');
});

test('matmul: k = 0 gives zeros (or leaves C when accumulating); empty m or n is a no-op', () => {
  const c = fillFrom(wasm.allocate(6), new Float32Array([1, 2, 3, 4, 5, 6]));
  wasm.matmul(wasm.allocate(0), wasm.allocate(0), c, 2, 3, 0, false, false, true);
  assert.deepEqual([...c], [1, 2, 3, 4, 5, 6]);
  wasm.matmul(wasm.allocate(0), wasm.allocate(0), c, 2, 3, 0, false, false, false);
  assert.deepEqual([...c], [0, 0, 0, 0, 0, 0]);
  wasm.matmul(new Float32Array(0), new Float32Array(0), new Float32Array(0), 0, 3, 4, false, false, false);
});

test('threaded matmul equals the single-threaded result exactly (both builds, shared whole packings)', () => {
  for (const relaxedSimd of [true, false]) {
    const single = createWasmBackend({ threads: 1, relaxedSimd });
    const threaded = createWasmBackend({ threads: 2, parallelThreshold: 1, relaxedSimd });
    try {
      for (const [m, n, k] of [
        [64, 200, 70],
        [300, 40, 33],
        [9, 9, 9],
        [1, 513, 20],
        [130, 1100, 40],
        // ≥ 2^22 multiply-adds: several slabs per thread, which read one whole packing of A (C cut by columns)
        // or of B (by rows, and wherever A is transposed); odd sizes leave edge panels, k > 256 two slices
        [256, 300, 64],
        [257, 515, 40],
        [515, 130, 70],
        [100, 140, 333],
        // at most 12 wide: rows of C in slabs, A read unpacked; mid-size and large
        [515, 10, 333],
        [4001, 12, 150],
      ] as const) {
        for (const [tA, tB] of TRANSPOSES) {
          for (const acc of [false, true]) {
            const a = randomArray(m * k, rand),
              b = randomArray(k * n, rand),
              c0 = randomArray(m * n, rand);
            const expected = c0.slice();
            single.matmul(a, b, expected, m, n, k, tA, tB, acc);
            const wa = fillFrom(threaded.allocate(m * k), a),
              wb = fillFrom(threaded.allocate(k * n), b);
            const wc = fillFrom(threaded.allocate(m * n), c0);
            threaded.matmul(wa, wb, wc, m, n, k, tA, tB, acc);
            assert.deepEqual(wc, expected, `relaxed=${relaxedSimd} ${m}x${n}x${k} tA=${tA} tB=${tB} acc=${acc}`);
          }
        }
      }
      assert.equal(threaded.threadsStarted, true);
    } finally {
      threaded.dispose();
    }
  }
});

test('memory growth keeps earlier views valid and recognised as inside', () => {
  const backend = createWasmBackend({ threads: 1 });
  assert.equal(backend.sharedMemory, true, 'Node has SharedArrayBuffer');
  const a = fillFrom(backend.allocate(64), randomArray(64, rand));
  const b = fillFrom(backend.allocate(64), randomArray(64, rand));
  const before = backend.memory.buffer.byteLength;
  const big = backend.allocate(8 * 1024 * 1024); // 32 MiB > the initial 16 MiB: grows
  assert.ok(backend.memory.buffer.byteLength > before);
  assert.equal(big.length, 8 * 1024 * 1024);
  assert.ok(big.every((v) => v === 0));
  const c = backend.allocate(64);
  backend.matmul(a, b, c, 8, 8, 8, false, false, false);
  const want = new Float32Array(64);
  jsBackend.matmul(a, b, want, 8, 8, 8, false, false, false);
  assertClose(c, want, 64, 'after growth', { atol: 1e-5 });
  // A recycled buffer comes back zero-filled.
  c.fill(7);
  backend.release(c);
  assert.ok(backend.allocate(64).every((v) => v === 0));
});

test('non-shared memory: fixed size, plain-array and JS fallbacks keep results right', () => {
  const backend = createWasmBackend({ sharedMemory: false, memoryMB: 4 });
  assert.equal(backend.sharedMemory, false);
  assert.equal(backend.threads, 1);
  const inside = backend.allocate(1000);
  const size = backend.memory.buffer.byteLength;
  const outside = backend.allocate(2 * 1024 * 1024); // 8 MiB: does not fit, must not grow
  assert.equal(backend.memory.buffer.byteLength, size);
  assert.equal(inside.length, 1000, 'earlier views are not detached');
  assert.equal(outside.length, 2 * 1024 * 1024);
  // Small foreign operands are staged through the fixed heap.
  const a = randomArray(20 * 40, rand),
    b = randomArray(40 * 30, rand),
    c = new Float32Array(20 * 30);
  const { want, bound } = reference(a, b, null, 20, 30, 40, false, true);
  backend.matmul(a, b, c, 20, 30, 40, false, true, false);
  assertClose(c, want, 20 * 30, 'staged', { bound });
  // Operands too big to stage (C alone is 5.8 MB): the call falls back to the JS reference.
  const [m, n, k] = [1200, 1200, 3];
  const a2 = randomArray(m * k, rand),
    b2 = randomArray(k * n, rand);
  const c2 = new Float32Array(m * n),
    want2 = new Float32Array(m * n);
  backend.matmul(a2, b2, c2, m, n, k, false, false, false);
  jsBackend.matmul(a2, b2, want2, m, n, k, false, false, false);
  assertClose(c2, want2, m * n, 'fallback', { atol: 1e-5 });
});

test('relaxed SIMD: Node 20 gets it unless KEEL_RELAXED_SIMD=0 (then the plain build, and a clear refusal)', () => {
  const major = Number(process.versions.node.split('.')[0]);
  assert.equal(relaxedSimdSupported(), true, `Node ${major} runs relaxed SIMD (V8's flag set on 20 and 21)`);
  assert.equal(createWasmBackend({ threads: 1 }).relaxedSimd, true, 'and the default backend uses it');
  if (major >= 22) return; // nothing to switch off there
  const script =
    "import { createWasmBackend, relaxedSimdSupported } from './src/kernels/wasm/index.ts';" +
    'let refusal = "";' +
    'try { createWasmBackend({ relaxedSimd: true }); } catch (e) { refusal = e.message; }' +
    'const used = createWasmBackend().relaxedSimd;' +
    'console.log(JSON.stringify({ supported: relaxedSimdSupported(), used, refusal }));';
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, KEEL_RELAXED_SIMD: '0' },
    encoding: 'utf8',
  });
  const got = JSON.parse(out) as { supported: boolean; used: boolean; refusal: string };
  assert.equal(got.supported, false);
  assert.equal(got.used, false);
  assert.match(got.refusal, /relaxedSimd is true but this runtime.*\nhelp:.*KEEL_RELAXED_SIMD/s);
});

test('relaxed SIMD: the fused build and the plain one both stay within the reference error bound', () => {
  const relaxed = createWasmBackend({ threads: 1, relaxedSimd: true });
  const plain = createWasmBackend({ threads: 1, relaxedSimd: false });
  assert.equal(relaxed.relaxedSimd, true);
  assert.equal(plain.relaxedSimd, false);
  for (const [m, n, k] of SHAPES) {
    const a = randomArray(m * k, rand),
      b = randomArray(k * n, rand);
    const { want, bound } = reference(a, b, null, m, n, k, false, false);
    for (const be of [relaxed, plain]) {
      const c = be.allocate(m * n);
      be.matmul(fillFrom(be.allocate(m * k), a), fillFrom(be.allocate(k * n), b), c, m, n, k, false, false, false);
      for (let i = 0; i < m * n; i++) assert.ok(Math.abs(c[i]! - want[i]!) <= bound[i]!, `${m}x${n}x${k} [${i}]`);
    }
  }
});

test('relaxed SIMD: the 3×12 tile (wide products) and the 4×8 tile (the rest) give the same bits', () => {
  const relaxed = createWasmBackend({ threads: 1, relaxedSimd: true });
  // 256×300 takes the 3×12 tile; its top-left 32×100 block, computed on its own, takes the 4×8 tile.
  const [m, n, k] = [256, 300, 300];
  const a = randomArray(m * k, rand),
    b = randomArray(k * n, rand);
  const c = relaxed.allocate(m * n);
  relaxed.matmul(
    fillFrom(relaxed.allocate(m * k), a),
    fillFrom(relaxed.allocate(k * n), b),
    c,
    m,
    n,
    k,
    false,
    false,
    false,
  );
  const [bm, bn] = [32, 100];
  const subB = relaxed.allocate(k * bn);
  for (let p = 0; p < k; p++) subB.set(b.subarray(p * n, p * n + bn), p * bn);
  const sub = relaxed.allocate(bm * bn);
  relaxed.matmul(fillFrom(relaxed.allocate(bm * k), a.subarray(0, bm * k)), subB, sub, bm, bn, k, false, false, false);
  const block = new Float32Array(bm * bn);
  for (let i = 0; i < bm; i++) block.set(c.subarray(i * n, i * n + bn), i * bn);
  assert.deepEqual(block, Float32Array.from(sub));
});

test('relaxed SIMD: products at most 12 wide (A read unpacked) give the bits of the 3×12 tile, all transposes', () => {
  const relaxed = createWasmBackend({ threads: 1, relaxedSimd: true });
  // 257×300 takes the 3×12 tile (A packed); its first 10 (or 12) columns, computed on their own, read A where it
  // lies. k = 300: two slices of k; 257 rows: a last tile of 2 rows.
  const [m, n, k] = [257, 300, 300];
  for (const [tA, tB] of TRANSPOSES) {
    for (const acc of [false, true]) {
      const a = fillFrom(relaxed.allocate(m * k), randomArray(m * k, rand)),
        b = randomArray(k * n, rand),
        c0 = randomArray(m * n, rand);
      const c = fillFrom(relaxed.allocate(m * n), c0);
      relaxed.matmul(a, fillFrom(relaxed.allocate(k * n), b), c, m, n, k, tA, tB, acc);
      for (const bn of [10, 12]) {
        // op(B)'s first bn columns: the first bn of each row of B, or the first bn rows of Bᵀ.
        const subB = relaxed.allocate(k * bn);
        if (tB) subB.set(b.subarray(0, bn * k));
        else for (let p = 0; p < k; p++) subB.set(b.subarray(p * n, p * n + bn), p * bn);
        const sub = relaxed.allocate(m * bn);
        for (let i = 0; i < m; i++) sub.set(c0.subarray(i * n, i * n + bn), i * bn);
        relaxed.matmul(a, subB, sub, m, bn, k, tA, tB, acc);
        const block = new Float32Array(m * bn);
        for (let i = 0; i < m; i++) block.set(c.subarray(i * n, i * n + bn), i * bn);
        assert.deepEqual(Float32Array.from(sub), block, `tA=${tA} tB=${tB} acc=${acc} n=${bn}`);
      }
    }
  }
});
