/** The wasm matmul against the JS reference: shapes, transposes, memory placement, threads, growth. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsBackend } from '../js/js-backend.js';
import { execFileSync } from 'node:child_process';
import { createWasmBackend, relaxedSimdSupported } from './index.js';
import { fillFrom, randomArray, rng, startedThreads } from './test-helpers.test.js';
import { assertClose } from '../../../test/helpers/allclose.js';
import { ACTIVATION_CODES } from '../../../test/helpers/activation-codes.js';
import { ActivationCode } from '../backend.js';

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

test('matmulScanned: the bits of matmul and the first NaN/±Inf of C, one thread and two (both slab cuts)', () => {
  const threaded = startedThreads();
  const r = rng(99);
  // [m, n, k, tA, tB]: large Aᵀ (C cut by rows, 75-row slabs), large untransposed (cut by columns, 84-column
  // slabs), a mid-size one, a 10-wide one (gemmSkinny) and a small one (one thread).
  const cases: [number, number, number, boolean, boolean][] = [
    [600, 300, 256, true, false],
    [256, 600, 300, false, false],
    [64, 100, 100, true, false],
    [257, 10, 300, true, false],
    [5, 7, 3, false, false],
  ];
  for (const [m, n, k, tA, tB] of cases) {
    const a = randomArray(m * k, r),
      b = randomArray(k * n, r);
    // A[i, p] = B[p, j] = 1e30 makes C[i, j] (and only it) overflow to +Inf; a NaN in A spoils a whole row of C.
    const spots: [number, number][] = [
      [Math.min(m - 1, 75), Math.min(n - 1, 84)],
      [m - 1, 0],
      [Math.min(m - 1, 10), n - 1],
    ];
    for (let count = 0; count <= spots.length; count++) {
      const aa = Float32Array.from(a),
        bb = Float32Array.from(b);
      for (const [s, [i, j]] of spots.slice(0, count).entries()) {
        const p = (s * 7) % k;
        aa[tA ? p * m + i : i * k + p] = 1e30;
        bb[tB ? j * k + p : p * n + j] = 1e30;
      }
      const want = new Float32Array(m * n);
      jsBackend.matmul(aa, bb, want, m, n, k, tA, tB, false);
      const first = jsBackend.firstNonFinite(want, m * n);
      assert.equal(count === 0, first < 0, `${m}×${n}×${k}: ${count} spots, C's first bad at ${first}`);
      for (const [name, backend] of [
        ['one thread', wasm],
        ['two threads', threaded],
      ] as const) {
        const pa = fillFrom(backend.allocate(m * k), aa),
          pb = fillFrom(backend.allocate(k * n), bb);
        const plain = backend.allocate(m * n),
          scanned = backend.allocate(m * n).fill(NaN);
        backend.matmul(pa, pb, plain, m, n, k, tA, tB, false);
        const got = backend.matmulScanned(pa, pb, scanned, m, n, k, tA, tB);
        assert.equal(got, first, `${name}, ${m}×${n}×${k}${tA ? ' Aᵀ' : ''}: ${count} spots`);
        assert.deepEqual(
          new Uint32Array(scanned.buffer, scanned.byteOffset, m * n),
          new Uint32Array(plain.buffer, plain.byteOffset, m * n),
        );
        // Outside wasm memory (staged): the same answer.
        assert.equal(backend.matmulScanned(aa, bb, new Float32Array(m * n), m, n, k, tA, tB), first, `${name}, staged`);
      }
      assert.equal(jsBackend.matmulScanned(aa, bb, new Float32Array(m * n), m, n, k, tA, tB), first);
    }
  }
});

test('denseGrads: the bits of activationBackward, the scanned Xᵀ·dZ and columnSums, every activation', () => {
  const threaded = startedThreads();
  const r = rng(17);
  const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
  // [rows, inFeatures, units]: dZ packed by both threads as it is computed (a 12-wide edge panel, two k slices
  // of 256 and 44 rows), the same with whole panels and one slice, a mid-size product, a small one.
  for (const [rows, inF, units] of [
    [300, 500, 301],
    [256, 600, 300],
    [32, 100, 100],
    [3, 5, 7],
  ] as const) {
    const x = randomArray(rows * inF, r, 0.6),
      pre = randomArray(rows * units, r, 3),
      dy = randomArray(rows * units, r, 1);
    // Column 5: every pre < 0 and dy < 0, so relu's dz is −0 in every row and its sum must be +0 (0 + −0).
    for (let i = 0; i < rows; i++) {
      pre[i * units + 5] = -1;
      dy[i * units + 5] = -0.5;
    }
    const spots = [-1, Math.floor((rows * inF) / 2)];
    for (const [name, code, param] of ACTIVATION_CODES) {
      const out = new Float32Array(rows * units);
      wasm.biasActivation(pre, null, new Float32Array(rows * units), out, rows, units, code, param);
      for (const spot of spots) {
        for (const withBias of [true, false]) {
          const what = `${name} ${rows}×${inF}→${units} bias=${withBias} NaN at ${spot}`;
          const xs = Float32Array.from(x);
          if (spot >= 0) xs[spot] = NaN;
          const linear = code === ActivationCode.Linear;
          const one = [xs, dy, pre, out].map((a) => fillFrom(wasm.allocate(a.length), a));
          const dz1 = linear ? one[1]! : wasm.allocate(rows * units),
            dw1 = wasm.allocate(inF * units),
            db1 = withBias ? wasm.allocate(units) : null;
          if (!linear) wasm.activationBackward(one[1]!, one[2]!, one[3]!, dz1, rows * units, code, param);
          wasm.matmul(one[0]!, dz1, dw1, inF, units, rows, true, false, false);
          if (db1 !== null) wasm.columnSums(dz1, db1, rows, units, false);
          const first = jsBackend.firstNonFinite(dw1, inF * units);
          assert.equal(first < 0, spot < 0, what);
          for (const [where, backend] of [
            ['one thread', wasm],
            ['two threads', threaded],
          ] as const) {
            const t = [xs, dy, pre, out].map((a) => fillFrom(backend.allocate(a.length), a));
            const dz = linear ? t[1]! : backend.allocate(rows * units).fill(NaN),
              dw = backend.allocate(inF * units).fill(NaN),
              db = withBias ? backend.allocate(units).fill(NaN) : null;
            const got = backend.denseGrads(t[0]!, t[1]!, t[2]!, t[3]!, dz, dw, db, rows, inF, units, code, param);
            assert.equal(got, first, `${where}: ${what}: first non-finite`);
            assert.deepEqual(bits(dz), bits(dz1), `${where}: ${what}: dz`);
            assert.deepEqual(bits(dw), bits(dw1), `${where}: ${what}: dw`);
            if (db !== null) assert.deepEqual(bits(db), bits(db1!), `${where}: ${what}: db`);
            for (const a of [...t, dw, ...(linear ? [] : [dz]), ...(db ? [db] : [])]) backend.release(a);
          }
          if (code === ActivationCode.Relu && spot < 0) {
            // Outside wasm memory (the composition of the backend's own kernels, staged).
            const dz = new Float32Array(rows * units),
              dw = new Float32Array(inF * units),
              db = withBias ? new Float32Array(units) : null;
            assert.equal(threaded.denseGrads(xs, dy, pre, out, dz, dw, db, rows, inF, units, code, param), -1);
            assert.deepEqual(bits(dw), bits(dw1), `staged: ${what}: dw`);
            if (db !== null) assert.deepEqual(bits(db), bits(db1!), `staged: ${what}: db`);
          }
          for (const a of [...one, dw1, ...(linear ? [] : [dz1]), ...(db1 ? [db1] : [])]) wasm.release(a);
        }
      }
    }
  }
});

test('relaxed SIMD: the 3×12 tile edges (1 or 2 last rows, a last panel of 4 columns) give the 4×8 tile bits', () => {
  const relaxed = createWasmBackend({ threads: 1, relaxedSimd: true });
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
  // 130 and 131 rows: a last tile of 1 and 2 rows (kernel1x12); 292 columns: a last panel of 4 (kernel3x4); k
  // = 300: two slices. Those edges, computed on their own (1 or 2 rows, 4 columns), take the 4×8 tile.
  for (const [m, n, k] of [
    [130, 292, 300],
    [131, 292, 300],
  ] as const) {
    for (const [tA, tB] of TRANSPOSES) {
      for (const acc of [false, true]) {
        const a = randomArray(m * k, rand),
          b = randomArray(k * n, rand),
          c0 = randomArray(m * n, rand);
        const c = fillFrom(relaxed.allocate(m * n), c0),
          pa = fillFrom(relaxed.allocate(m * k), a),
          pb = fillFrom(relaxed.allocate(k * n), b);
        relaxed.matmul(pa, pb, c, m, n, k, tA, tB, acc);
        const opA = (i: number, p: number) => a[tA ? p * m + i : i * k + p]!;
        const opB = (p: number, j: number) => b[tB ? j * k + p : p * n + j]!;
        const what = `${m}×${n}×${k} tA=${tA} tB=${tB} acc=${acc}`;
        // The last m mod 3 rows.
        const rows = m % 3,
          i0 = m - rows;
        const subA = relaxed.allocate(rows * k),
          subB = relaxed.allocate(k * n),
          sub = relaxed.allocate(rows * n);
        for (let i = 0; i < rows; i++) for (let p = 0; p < k; p++) subA[i * k + p] = opA(i0 + i, p);
        for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) subB[p * n + j] = opB(p, j);
        sub.set(c0.subarray(i0 * n));
        relaxed.matmul(subA, subB, sub, rows, n, k, false, false, acc);
        assert.deepEqual(bits(c.subarray(i0 * n)), bits(sub), `${what}: last rows`);
        // The last 4 columns.
        const fullA = relaxed.allocate(m * k),
          lastB = relaxed.allocate(k * 4),
          cols = relaxed.allocate(m * 4);
        for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) fullA[i * k + p] = opA(i, p);
        for (let p = 0; p < k; p++) for (let j = 0; j < 4; j++) lastB[p * 4 + j] = opB(p, n - 4 + j);
        for (let i = 0; i < m; i++) for (let j = 0; j < 4; j++) cols[i * 4 + j] = c0[i * n + n - 4 + j]!;
        relaxed.matmul(fullA, lastB, cols, m, 4, k, false, false, acc);
        const got = new Float32Array(m * 4);
        for (let i = 0; i < m; i++) for (let j = 0; j < 4; j++) got[i * 4 + j] = c[i * n + n - 4 + j]!;
        assert.deepEqual(bits(got), bits(cols), `${what}: last 4 columns`);
        for (const x of [c, pa, pb, subA, subB, sub, fullA, lastB, cols]) relaxed.release(x);
      }
    }
  }
});
