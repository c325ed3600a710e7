/**
 * Kernel micro-benchmark: matmul GFLOP/s for the JS reference and the wasm
 * backend (1 thread and all threads) on the engine's hot shapes, for all four
 * transpose variants, plus µs per call of the fused element-wise kernels.
 *
 *   node --import tsx bench/kernels.ts           # everything (JS at 1024³ takes ~20 s)
 *   node --import tsx bench/kernels.ts --no-js   # wasm only
 *   node --import tsx bench/kernels.ts --ceiling # only the inner loop's ceiling (1 and 2 threads)
 */
import { ActivationCode, type KernelBackend } from '../src/kernels/backend.js';
import { jsBackend } from '../src/kernels/js/js-backend.js';
import { createWasmBackend, relaxedSimdSupported } from '../src/kernels/wasm/index.js';
import { Random } from '../src/tensor/rng.js';
import { innerLoopCeiling } from './ceiling.js';

const withJs = !process.argv.includes('--no-js');

const show = (xs: number[]) => `${xs[xs.length >> 1]!.toFixed(1)} (${xs[0]!.toFixed(1)}–${xs.at(-1)!.toFixed(1)})`;
for (const relaxed of relaxedSimdSupported() ? [false, true] : [false]) {
  const ceiling1 = await innerLoopCeiling(1, relaxed);
  const ceiling2 = await innerLoopCeiling(2, relaxed);
  console.log(
    `inner loop (${relaxed ? '3×12 tile, relaxed-SIMD FMA' : '4×8 tile, mul + add'}; kc 256, L1-resident) ` +
      `GFLOP/s, median (min–max): 1 thread ${show(ceiling1.gflops)} | 2 threads ${show(ceiling2.gflops)}`,
  );
  console.log(
    '  FLOP per cycle per core (this CPU issues at most 16 with 128-bit vectors): ' +
      `1 thread ${show(ceiling1.flopPerCycle)} | 2 threads ${show(ceiling2.flopPerCycle)}; ` +
      `clock GHz ${show(ceiling1.ghz)} | ${show(ceiling2.ghz)}`,
  );
}
if (!relaxedSimdSupported()) console.log('(no relaxed SIMD: KEEL_RELAXED_SIMD=0 is set, or this runtime lacks it)');
console.log('');
if (process.argv.includes('--ceiling')) process.exit(0);
const wasm1 = createWasmBackend({ threads: 1 });
const wasmN = createWasmBackend();

/** [m, k, n]: C[m×n] = A[m×k]·B[k×n]. */
const SHAPES: [number, number, number][] = [
  [32, 100, 100],
  [32, 784, 100],
  [256, 784, 1024],
  [256, 1024, 1024],
  [1024, 1024, 1024],
];
const VARIANTS = [
  [false, false, 'NN'],
  [false, true, 'NT'],
  [true, false, 'TN'],
  [true, true, 'TT'],
] as const;

const random = new Random(7); // seeded, like every draw in Keel

function filled(backend: KernelBackend, n: number): Float32Array {
  const a = backend.allocate(n);
  for (let i = 0; i < n; i++) a[i] = random.uniform() - 0.5;
  return a;
}

/** Median seconds per call over a few batches of about `batchSeconds` each. */
function time(fn: () => void, batchSeconds: number, batches = 5): number {
  fn();
  let t = performance.now();
  fn();
  const once = Math.max((performance.now() - t) / 1000, 1e-7);
  const reps = Math.max(1, Math.round(batchSeconds / once));
  const results: number[] = [];
  for (let b = 0; b < batches; b++) {
    t = performance.now();
    for (let r = 0; r < reps; r++) fn();
    results.push((performance.now() - t) / 1000 / reps);
  }
  results.sort((x, y) => x - y);
  return results[results.length >> 1]!;
}

function gflops(
  backend: KernelBackend,
  m: number,
  k: number,
  n: number,
  tA: boolean,
  tB: boolean,
  batchSeconds: number,
): number {
  const a = filled(backend, m * k),
    b = filled(backend, k * n),
    c = backend.allocate(m * n);
  const s = time(
    () => backend.matmul(a, b, c, m, n, k, tA, tB, false),
    batchSeconds,
    backend === jsBackend && m * n * k > 1e8 ? 1 : 5,
  );
  return (2 * m * n * k) / s / 1e9;
}

const columns = [...(withJs ? ['js'] : []), 'wasm 1T', `wasm ${wasmN.threads}T`];
if (wasmN.relaxedSimd) console.log('(relaxed-SIMD build: fused multiply-add)');
console.log(`matmul GFLOP/s (float32; ${columns.join(' | ')})`);
console.log(`${'shape m×k×n'.padEnd(16)} ${VARIANTS.map(([, , v]) => v.padStart(23)).join('')}`);
for (const [m, k, n] of SHAPES) {
  const cells: string[] = [];
  for (const [tA, tB] of VARIANTS) {
    const r: number[] = [];
    if (withJs) r.push(gflops(jsBackend, m, k, n, tA, tB, 0.05));
    r.push(gflops(wasm1, m, k, n, tA, tB, 0.1));
    r.push(gflops(wasmN, m, k, n, tA, tB, 0.1));
    cells.push(
      r
        .map((x) => x.toFixed(1))
        .join(' | ')
        .padStart(23),
    );
  }
  console.log(`${`${m}×${k}×${n}`.padEnd(16)} ${cells.join('')}`);
}

console.log('\nelement-wise µs per call (js | wasm)');
const ELEMENTWISE: [string, number, number, ActivationCode][] = [
  ['bias+elu 32×100', 32, 100, ActivationCode.Elu],
  ['bias+relu 256×1024', 256, 1024, ActivationCode.Relu],
  ['bias+gelu_erf 256×1024', 256, 1024, ActivationCode.GeluErf],
];
for (const [name, rows, cols, act] of ELEMENTWISE) {
  const us = [jsBackend, wasm1].map((be) => {
    const x = filled(be, rows * cols),
      bias = filled(be, cols),
      pre = be.allocate(rows * cols),
      out = be.allocate(rows * cols);
    const dy = filled(be, rows * cols),
      dx = be.allocate(rows * cols),
      sums = be.allocate(cols);
    const fwd = time(() => be.biasActivation(x, bias, pre, out, rows, cols, act, 1), 0.05) * 1e6;
    const bwd = time(() => be.activationBackward(dy, pre, out, dx, rows * cols, act, 1), 0.05) * 1e6;
    const cs = time(() => be.columnSums(dy, sums, rows, cols, false), 0.05) * 1e6;
    return `fwd ${fwd.toFixed(1)} bwd ${bwd.toFixed(1)} colsum ${cs.toFixed(1)}`;
  });
  console.log(`${name.padEnd(24)} ${us.join('  |  ')}`);
}
