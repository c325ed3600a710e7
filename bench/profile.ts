/**
 * Where a training step's time goes: runs a benchmark workload through `fit` with every kernel call timed, and
 * prints the time per kernel (and per matmul shape) against the whole step; the rest is JavaScript outside the
 * kernels (the tape, optimizers, losses, checks). Timing each call adds a little overhead of its own.
 * Usage: node --import tsx bench/profile.ts [W1|W1b|W2|CNN|R1] [--steps N] [--threads N]
 */
import { parseArgs } from 'node:util';
import { tensor, setSeed, Sequential, layers, optimizers, setKernelBackend } from '../src/index.js';
import { createWasmBackend } from '../src/kernels/wasm/index.js';
import type { KernelBackend } from '../src/kernels/backend.js';
import { WORKLOADS, CNN_WORKLOAD, RECURRENT_WORKLOADS } from './workloads.js';
import { buildCnn } from './cnn.js';
import { buildMlp } from './mlp.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { steps: { type: 'string', default: '20' }, threads: { type: 'string', default: '2' } },
});
const key = positionals[0] ?? 'W2';
const steps = Number(values.steps);

const spent = new Map<string, { ms: number; calls: number }>();
function add(name: string, ms: number): void {
  const s = spent.get(name) ?? { ms: 0, calls: 0 };
  s.ms += ms;
  s.calls++;
  spent.set(name, s);
}

const inner = createWasmBackend({ threads: Number(values.threads) });
const timed = new Proxy(inner, {
  get(target, prop, receiver) {
    const v = Reflect.get(target, prop, receiver) as unknown;
    if (typeof v !== 'function' || prop === 'allocate') return v;
    const f = v as (...a: unknown[]) => unknown;
    return (...args: unknown[]) => {
      const t0 = performance.now();
      const r = f.apply(target, args);
      let name = String(prop);
      if (prop === 'matmul' || prop === 'matmulScanned') {
        const [, , , m, n, k, ta, tb] = args as [unknown, unknown, unknown, number, number, number, boolean, boolean];
        name = `${String(prop)} ${m}×${k}×${n}${ta ? ' Aᵀ' : ''}${tb ? ' Bᵀ' : ''}`;
      } else if (prop === 'denseGrads') {
        // dZ, the weight gradient Xᵀ·dZ (in×rows×units, Aᵀ) and the bias gradient, in one call.
        const [rows, inFeatures, units] = args.slice(7, 10) as number[];
        name = `denseGrads: dZ, matmul ${inFeatures}×${rows}×${units} Aᵀ, db`;
      }
      add(name, performance.now() - t0);
      return r;
    };
  },
}) as KernelBackend;
setKernelBackend(timed);

/** The workload's model and `steps` batches of data (as bench/engines/keel.ts builds them). */
function workload(): { model: Sequential; x: Float32Array; xShape: number[]; y: Float32Array; batch: number } {
  const wave = (n: number, f: (i: number) => number) => new Float32Array(n).map((_v, i) => f(i));
  if (key === 'CNN') {
    const batch = CNN_WORKLOAD.batch,
      n = steps * batch;
    const x = wave(n * 784, (i) => Math.abs(Math.sin(i * 12.9898)));
    return { model: buildCnn(1), x, xShape: [n, 28, 28, 1], y: wave(n, (i) => i % 10), batch };
  }
  const r = RECURRENT_WORKLOADS.find((x) => x.key === key);
  if (r !== undefined) {
    setSeed(1);
    const model = new Sequential([
      new layers.LSTM(r.units, { inputShape: [r.timesteps, r.features] }),
      new layers.Dense(r.outputs, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: new optimizers.Adam({ learningRate: 1e-3 }), loss: 'sparse_categorical_crossentropy' });
    const n = steps * r.batch;
    const x = wave(n * r.timesteps * r.features, (i) => 0.5 + Math.sin(i * 12.9898) * 0.5);
    return { model, x, xShape: [n, r.timesteps, r.features], y: wave(n, (i) => i % r.outputs), batch: r.batch };
  }
  const w = WORKLOADS.find((x) => x.key === key);
  if (w === undefined) throw new Error(`bench/profile: no workload ${key}; choose one of W1, W1b, W2, CNN, R1`);
  const model = buildMlp(w);
  const n = steps * w.batch;
  const x = wave(n * w.input, (i) => Math.sin(i * 12.9898) * 0.5);
  return { model, x, xShape: [n, w.input], y: wave(n, (i) => i % w.outputs), batch: w.batch };
}

const { model, x, xShape, y, batch } = workload();
const xt = tensor(x, xShape),
  yt = tensor(y, [y.length]);
await model.fit(xt, yt, { epochs: 1, batchSize: batch, verbose: 0 });
spent.clear();
const t0 = performance.now();
await model.fit(xt, yt, { epochs: 1, batchSize: batch, verbose: 0 });
const total = (performance.now() - t0) / steps;

console.log(`${key}: ${total.toFixed(2)} ms/step over ${steps} steps (kernel calls timed)`);
let inKernels = 0;
const rows = [...spent.entries()].sort((a, b) => b[1].ms - a[1].ms);
for (const [name, s] of rows) {
  const ms = s.ms / steps;
  inKernels += ms;
  const pct = ((100 * ms) / total).toFixed(1).padStart(5);
  const calls = String(Number((s.calls / steps).toFixed(2))).padStart(5);
  console.log(`${pct}%  ${ms.toFixed(3).padStart(8)} ms  ${calls}×/step  ${name}`);
}
const rest = total - inKernels;
console.log(
  `${((100 * rest) / total).toFixed(1).padStart(5)}%  ${rest.toFixed(3).padStart(8)} ms  outside the kernels`,
);
