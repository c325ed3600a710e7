/**
 * The WebAssembly ceiling of Keel's matmul, measured: bench/kernels.ts --ceiling prints it, and the benchmark's
 * Keel engine records it in the same run as the GEMM it bounds.
 */
import { Worker } from 'node:worker_threads';
import { SHARED_WASM_BASE64, SHARED_RELAXED_WASM_BASE64 } from '../src/kernels/wasm/generated/kernels-wasm.js';
import { relaxedSimdSupported } from '../src/kernels/wasm/index.js';

/**
 * The WebAssembly ceiling: the GEMM's 4×8 micro-kernel alone (gemmInnerLoop) on an L1-resident packed pair,
 * kc = 256, on one thread and on two at once (each its own instance over one shared memory, as the GEMM's
 * threads are). Nothing the GEMM around it does (packing, edges, cache misses) can beat these figures.
 */
const INNER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, base, kc, reps, rounds } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const pa = base, pb = base + kc * 16, c = pb + kc * 32;
const f = new Float32Array(memory.buffer, base, kc * 12);
for (let i = 0; i < f.length; i++) f[i] = ((i * 7919) % 1000) / 1000 - 0.5;
ex.gemmInnerLoop(pa, pb, c, kc, reps);
const out = [];
for (let r = 0; r < rounds; r++) {
  const t = performance.now();
  ex.gemmInnerLoop(pa, pb, c, kc, reps);
  out.push((2 * 4 * 8 * kc * reps) / ((performance.now() - t) / 1000) / 1e9);
}
parentPort.postMessage(out);
`;

/** GFLOP/s of the inner loop per round (all threads together), sorted; [] for FMA where relaxed SIMD is off. */
export async function innerLoopCeiling(threads: number, relaxed: boolean): Promise<number[]> {
  if (relaxed && !relaxedSimdSupported()) return [];
  const bytes = Buffer.from(relaxed ? SHARED_RELAXED_WASM_BASE64 : SHARED_WASM_BASE64, 'base64');
  const module = new WebAssembly.Module(bytes);
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true } as WebAssembly.MemoryDescriptor);
  const kc = 256,
    reps = 40_000,
    rounds = 5;
  const runs = Array.from({ length: threads }, (_v, t) => {
    const w = new Worker(INNER_SOURCE, {
      eval: true,
      workerData: { module, memory, base: 4096 + t * 65536, kc, reps, rounds },
    });
    return new Promise<number[]>((resolve, reject) => {
      w.once('message', (m: number[]) => {
        void w.terminate();
        resolve(m);
      });
      w.once('error', reject);
    });
  });
  const per = await Promise.all(runs);
  // Per round: the threads' rates added up (they run at the same time).
  return per[0]!.map((_v, r) => per.reduce((sum, p) => sum + p[r]!, 0)).sort((a, b) => a - b);
}
