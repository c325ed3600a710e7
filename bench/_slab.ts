import { createWasmBackend } from '../src/kernels/wasm/index.js';
const be = createWasmBackend({ threads: 1 });
const m = 256, k = 1024, n = 1024;
const a = be.allocate(m * k).map((_, i) => Math.sin(i)), b = be.allocate(k * n).map((_, i) => Math.cos(i));
const c = be.allocate(m * n);
const slabs = [1, 2, 4, 8, 16];
const bs = slabs.map((s) => { const w = n / s; return be.allocate(k * w).map((_, i) => Math.cos(i)); });
const cs = slabs.map((s) => be.allocate(m * (n / s)));
const res: Record<number, number[]> = {};
for (let r = 0; r < 7; r++)
  for (let si = 0; si < slabs.length; si++) {
    const s = slabs[si]!, w = n / s;
    const t0 = performance.now();
    for (let j = 0; j < s; j++) be.matmul(a, bs[si]!, cs[si]!, m, w, k, false, false, false);
    const ms = performance.now() - t0;
    (res[s] ??= []).push((2 * m * n * k) / ms / 1e6);
  }
for (const s of slabs) { const v = res[s]!.sort((x, y) => x - y); console.log(`${s} slabs: median ${v[3]!.toFixed(1)} GFLOP/s (max ${v[6]!.toFixed(1)})`); }
