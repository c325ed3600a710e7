/**
 * Keel on the benchmark workloads, through `fit` like a user would.
 * Usage: node --expose-gc --import tsx bench/engines/keel.ts [--quick] [--backend wasm|js] [--threads N] [--serve]
 * With --serve it answers paired timing requests (bench/paired.ts) instead of running the benchmark.
 */
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { tensor, setSeed, Sequential, layers, optimizers, kernels, setKernelBackend } from '../../src/index.js';
import { jsBackend } from '../../src/kernels/registry.js';
import { createWasmBackend } from '../../src/kernels/wasm/index.js';
import {
  WORKLOADS,
  MATMUL_SIZES,
  PAIRED_MATMUL_REPS,
  CNN_WORKLOAD,
  CONV_BENCH,
  CONV_BENCH_FLOPS,
  RECURRENT_WORKLOADS,
  timed,
  type EngineResult,
  type MlpWorkload,
  type RecurrentWorkload,
} from '../workloads.js';
import { buildCnn } from '../cnn.js';
import { buildMlp } from '../mlp.js';
import { conv2d, convGeometry } from '../../src/ops/conv.js';
import { withArena } from '../../src/tensor/arena.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { measureProbeOverhead } from '../../src/health/overhead.js';
import { innerLoopCeiling } from '../ceiling.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string' },
    serve: { type: 'boolean', default: false },
  },
});
const runs = values.quick ? 2 : 5;
const threads = values.threads !== undefined ? Number(values.threads) : 2;
setKernelBackend(values.backend === 'js' ? jsBackend : createWasmBackend({ threads }));

function data(w: MlpWorkload, n: number) {
  const x = new Float32Array(n * w.input);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 12.9898) * 0.5;
  const y = new Float32Array(n).map((_v, i) => i % w.outputs);
  return { x: tensor(x, [n, w.input]), y: tensor(y, [n]) };
}

/** The workload's model and data after one warm-up epoch: `epoch()` trains one more and returns its ms per step. */
async function trainer(w: MlpWorkload): Promise<() => Promise<number>> {
  const steps = values.quick ? Math.max(3, w.steps >> 2) : w.steps;
  const model = buildMlp(w);
  const { x, y } = data(w, steps * w.batch);
  await model.fit(x, y, { epochs: 1, batchSize: w.batch, verbose: 0 });
  return async () => {
    const t0 = performance.now();
    await model.fit(x, y, { epochs: 1, batchSize: w.batch, verbose: 0 });
    return (performance.now() - t0) / steps;
  };
}

/** ms per step over `runs` epochs of `steps` steps each (after one warm-up epoch). */
async function timeTraining(w: MlpWorkload): Promise<number[]> {
  const epoch = await trainer(w);
  const out: number[] = [];
  for (let r = 0; r < runs; r++) out.push(await epoch());
  return out;
}

/**
 * Paired timing (bench/paired.ts): builds every MLP workload and the largest benchmark matmul, says `ready`, then
 * answers each stdin line `run KEY` with the ms per step of one epoch of KEY (W1, W1b, W2), or the ms per product
 * of PAIRED_MATMUL_REPS products (KEY m x k x n, as 1024x1024x1024), until stdin closes.
 */
async function serve(): Promise<void> {
  const turns = new Map<string, () => Promise<number>>();
  for (const w of WORKLOADS) turns.set(w.key, await trainer(w));
  const big = MATMUL_SIZES.at(-1)!;
  const time = matmulTimer(big);
  turns.set(big.join('x'), () => Promise.resolve(time(PAIRED_MATMUL_REPS)));
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    const [verb, key, ...rest] = line.trim().split(/\s+/);
    const turn = key !== undefined ? turns.get(key) : undefined;
    if (verb !== 'run' || turn === undefined || rest.length > 0) {
      const keys = [...turns.keys()].join(', ');
      process.stdout.write(`error: expected \`run KEY\` with KEY one of ${keys}; received ${JSON.stringify(line)}\n`);
      continue;
    }
    process.stdout.write(`${(await turn()).toFixed(6)}\n`);
  }
}
if (values.serve) {
  await serve();
  process.exit(0);
}

/** The CNN's ms per step through fit, after a warm-up epoch. */
async function timeCnn(): Promise<number[]> {
  const w = CNN_WORKLOAD;
  const steps = values.quick ? 10 : w.steps,
    n = steps * w.batch;
  const model = buildCnn(1);
  const x = tensor(
    new Float32Array(n * 784).map((_v, i) => Math.abs(Math.sin(i * 12.9898))),
    [n, 28, 28, 1],
  );
  const y = tensor(
    new Float32Array(n).map((_v, i) => i % 10),
    [n],
  );
  await model.fit(x, y, { epochs: 1, batchSize: w.batch, verbose: 0 });
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await model.fit(x, y, { epochs: 1, batchSize: w.batch, verbose: 0 });
    out.push((performance.now() - t0) / steps);
  }
  return out;
}

/** ms per step of the LSTM workload, measured as the MLPs are. */
async function timeRecurrent(w: RecurrentWorkload): Promise<number[]> {
  setSeed(1);
  const steps = values.quick ? 5 : w.steps;
  const model = new Sequential([
    new layers.LSTM(w.units, { inputShape: [w.timesteps, w.features] }),
    new layers.Dense(w.outputs, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new optimizers.Adam({ learningRate: 1e-3 }), loss: 'sparse_categorical_crossentropy' });
  const n = steps * w.batch;
  const x = new Float32Array(n * w.timesteps * w.features);
  for (let i = 0; i < x.length; i++) x[i] = 0.5 + Math.sin(i * 12.9898) * 0.5;
  const y = new Float32Array(n).map((_v, i) => i % w.outputs);
  const xt = tensor(x, [n, w.timesteps, w.features]),
    yt = tensor(y, [n]);
  await model.fit(xt, yt, { epochs: 1, batchSize: w.batch, verbose: 0 });
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await model.fit(xt, yt, { epochs: 1, batchSize: w.batch, verbose: 0 });
    out.push((performance.now() - t0) / steps);
  }
  return out;
}

/** Conv forward GFLOP/s (CONV_BENCH: 3×3 'same', 64 → 64 channels, 32×32, batch 8). */
function timeConv(): number[] {
  const { batch, size, channels, kernel } = CONV_BENCH;
  const kb = kernels();
  // Filled in place: `.map` would return a copy outside wasm memory, and every call would stage it in again.
  const filled = (n: number, f: (i: number) => number) => {
    const a = kb.allocate(n);
    for (let i = 0; i < n; i++) a[i] = f(i);
    return a;
  };
  const x = new Tensor(filled(batch * size * size * channels, Math.sin), [batch, size, size, channels]);
  const w = new Tensor(filled(kernel * kernel * channels * channels, Math.cos), [kernel, kernel, channels, channels]);
  const g = convGeometry(x.shape, [kernel, kernel], [1, 1], [1, 1], 'same');
  const reps = values.quick ? 3 : 10;
  withArena(() => conv2d(x, w, null, g));
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) withArena(() => conv2d(x, w, null, g));
    out.push((CONV_BENCH_FLOPS * reps) / ((performance.now() - t0) / 1000) / 1e9);
  }
  return out;
}

/** The product m×k×n on the backend's own arrays, warmed up: `time(reps)` returns ms per product over reps. */
function matmulTimer([m, k, n]: readonly [number, number, number]): (reps: number) => number {
  const kb = kernels();
  const a = kb.allocate(m * k),
    b = kb.allocate(k * n),
    c = kb.allocate(m * n);
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(i);
  for (let i = 0; i < b.length; i++) b[i] = Math.cos(i);
  kb.matmul(a, b, c, m, n, k, false, false, false);
  return (reps) => {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) kb.matmul(a, b, c, m, n, k, false, false, false);
    return (performance.now() - t0) / reps;
  };
}

function timeMatmul(s: [number, number, number]): number[] {
  const time = matmulTimer(s);
  const reps = Math.max(1, Math.round(2e8 / (s[0] * s[1] * s[2])));
  const out: number[] = [];
  for (let r = 0; r < runs; r++) out.push((2 * s[0] * s[1] * s[2]) / (time(reps) / 1000) / 1e9);
  return out;
}

function timeInference(): number[] {
  const model = buildMlp(WORKLOADS[0]!);
  const { x } = data(WORKLOADS[0]!, 10_000);
  model.predict(x, { batchSize: 32 });
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    model.predict(x, { batchSize: 32 });
    out.push(performance.now() - t0);
  }
  return out;
}

/** Heap growth (MB) over about `steps` W1 training steps, after a warm-up, with forced GCs around it. */
async function heapGrowth(steps: number): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return NaN;
  const w = WORKLOADS[0]!;
  const model = buildMlp(w);
  const { x, y } = data(w, 100 * w.batch);
  await model.fit(x, y, { epochs: 1, batchSize: w.batch, verbose: 0 });
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  await model.fit(x, y, { epochs: Math.ceil(steps / 100), batchSize: w.batch, verbose: 0 });
  gc();
  gc();
  return (process.memoryUsage().heapUsed - before) / 1e6;
}

const result: EngineResult = {
  engine: 'keel',
  backend: values.backend!,
  threads: values.backend === 'js' ? 1 : threads,
  train: {},
  matmul: {},
  inference: [],
  extra: {},
};
const E = 'keel';
for (const w of WORKLOADS) {
  if (w.key === 'W2' && values.backend === 'js') continue;
  result.train[w.key] = await timed(E, w.key, () => timeTraining(w));
}
result.train[CNN_WORKLOAD.key] = await timed(E, 'CNN', timeCnn);
result.conv = await timed(E, 'conv', timeConv);
for (const w of RECURRENT_WORKLOADS) result.train[w.key] = await timed(E, w.key, () => timeRecurrent(w));
for (const s of MATMUL_SIZES) {
  if (values.backend === 'js' && s[0] * s[1] * s[2] > 3e8) continue;
  result.matmul[s.join('x')] = await timed(E, `matmul ${s.join('×')}`, () => timeMatmul(s));
}
// The ceiling those matmuls sit under (bench/ceiling.ts), and what the fused multiply-add gives: the inner loop
// on both cores, plain and FMA, then W2 and the 1024³ matmul again on the plain build (KEEL_RELAXED_SIMD=0).
if (values.backend !== 'js') {
  const plain = await timed(E, 'inner-loop ceiling, plain', () => innerLoopCeiling(threads, false));
  const fma = await timed(E, 'inner-loop ceiling, FMA', () => innerLoopCeiling(threads, true));
  result.extra.ceiling_plain = plain.gflops;
  result.extra.ceiling_fma = fma.gflops;
  result.extra.ceiling_fma_per_cycle = fma.flopPerCycle;
  result.extra.ceiling_ghz = [...plain.ghz, ...fma.ghz].sort((a, b) => a - b);
  const fused = kernels();
  if ((fused as { relaxedSimd?: boolean }).relaxedSimd === true) {
    setKernelBackend(createWasmBackend({ threads, relaxedSimd: false }));
    const w2 = WORKLOADS.find((w) => w.key === 'W2')!;
    result.extra.plain_W2 = await timed(E, 'W2 on the plain build', () => timeTraining(w2));
    const big = MATMUL_SIZES.at(-1)!;
    result.extra.plain_matmul = await timed(E, `matmul ${big.join('×')} on the plain build`, () => timeMatmul(big));
    setKernelBackend(fused);
  }
}
result.extra.relaxed_simd = (kernels() as { relaxedSimd?: boolean }).relaxedSimd === true ? 1 : 0;
result.inference = await timed(E, 'inference', timeInference);
// Probe overhead: W1 with and without the GradientMonitor at its default sampling, in alternating runs.
const overhead = await timed(E, 'probe overhead', () => measureProbeOverhead({ rounds: values.quick ? 2 : 8 }));
result.extra.monitor_ms_per_step_without = overhead.msPerStepWithout;
result.extra.monitor_ms_per_step_with = overhead.msPerStepWith;
result.extra.monitor_overhead_percent = overhead.overheadPercent;
result.extra.monitor_estimated_percent = overhead.estimatedPercent;
result.extra.monitor_every = overhead.every;
result.extra.heap_steps = values.quick ? 1000 : 10_000;
result.extra.heap_growth_mb = await timed(E, 'heap growth', () => heapGrowth(result.extra.heap_steps as number));
result.extra.peak_rss_mb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
