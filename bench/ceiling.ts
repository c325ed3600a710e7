/**
 * The WebAssembly ceiling of Keel's matmul, measured: bench/kernels.ts --ceiling prints it, and the benchmark's
 * Keel engine records it in the same run as the GEMM it bounds.
 */
import { Worker } from 'node:worker_threads';
import { SHARED_WASM_BASE64, SHARED_RELAXED_WASM_BASE64 } from '../src/kernels/wasm/generated/kernels-wasm.js';
import { relaxedSimdSupported } from '../src/kernels/wasm/index.js';

/**
 * The WebAssembly ceiling: the GEMM's micro-kernel alone (gemmInnerLoop: 3×12 with FMA, 4×8 with mul + add) on
 * an L1-resident packed pair, kc = 256, on one thread and on two at once (each its own instance over one shared
 * memory, as the GEMM's threads are). Nothing the GEMM around it does (packing, edges, cache misses) can beat
 * these figures.
 */
const INNER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, base, kc, reps, rounds } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const pa = base, pb = base + kc * 16, c = pb + kc * 48;
const f = new Float32Array(memory.buffer, base, kc * 16);
for (let i = 0; i < f.length; i++) f[i] = ((i * 7919) % 1000) / 1000 - 0.5;
ex.gemmInnerLoop(pa, pb, c, kc, reps);
const CHAIN = 4000000;
ex.clockChain(CHAIN, 3);
const ghz = () => {
  const t = performance.now();
  ex.clockChain(CHAIN, 3);
  return (8 * CHAIN) / ((performance.now() - t) / 1000) / 1e9;
};
const out = [];
for (let r = 0; r < rounds; r++) {
  const before = ghz();
  const t = performance.now();
  const flop = ex.gemmInnerLoop(pa, pb, c, kc, reps);
  const gflops = flop / ((performance.now() - t) / 1000) / 1e9;
  out.push({ gflops, ghz: (before + ghz()) / 2 });
}
parentPort.postMessage(out);
`;

/** One measurement of the inner loop: each list sorted ascending, one entry per round. */
export interface Ceiling {
  /** GFLOP/s of all threads together (they run at the same time). */
  gflops: number[];
  /**
   * FLOP per cycle per core: each thread's rate over the clock measured around it (a dependent integer chain,
   * clockChain). The instruction set bounds this whatever the clock or the host: 16 with 128-bit FMA on two pipes.
   */
  flopPerCycle: number[];
  /** The clock those cycles ran at, GHz, averaged over the threads. */
  ghz: number[];
}

/** The inner loop on `threads` threads at once; empty lists for FMA where relaxed SIMD is off. */
export async function innerLoopCeiling(threads: number, relaxed: boolean, rounds = 5): Promise<Ceiling> {
  if (relaxed && !relaxedSimdSupported()) return { gflops: [], flopPerCycle: [], ghz: [] };
  const bytes = Buffer.from(relaxed ? SHARED_RELAXED_WASM_BASE64 : SHARED_WASM_BASE64, 'base64');
  const module = new WebAssembly.Module(bytes);
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true } as WebAssembly.MemoryDescriptor);
  const kc = 256,
    reps = 40_000;
  const runs = Array.from({ length: threads }, (_v, t) => {
    const w = new Worker(INNER_SOURCE, {
      eval: true,
      workerData: { module, memory, base: 4096 + t * 65536, kc, reps, rounds },
    });
    return new Promise<{ gflops: number; ghz: number }[]>((resolve, reject) => {
      w.once('message', (m: { gflops: number; ghz: number }[]) => {
        void w.terminate();
        resolve(m);
      });
      w.once('error', reject);
    });
  });
  const per = await Promise.all(runs);
  const sorted = (f: (r: number) => number) => per[0]!.map((_v, r) => f(r)).sort((a, b) => a - b);
  return {
    gflops: sorted((r) => per.reduce((sum, p) => sum + p[r]!.gflops, 0)),
    flopPerCycle: sorted((r) => per.reduce((sum, p) => sum + p[r]!.gflops / p[r]!.ghz, 0) / threads),
    ghz: sorted((r) => per.reduce((sum, p) => sum + p[r]!.ghz, 0) / threads),
  };
}
