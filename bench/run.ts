/**
 * `npm run bench [-- --json] [-- --quick] [-- --write docs/benchmarks.md]`:
 * runs Keel, TensorFlow.js (cpu, wasm) and PyTorch (when `/usr/bin/python3 -c "import torch"`
 * works) each in its own process on the same workloads, then prints the figures
 * side by side with ratios (peer time / Keel time: > 1 means Keel is faster).
 */
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../src/io/write-atomic.js';
import { WORKLOADS, RECURRENT_WORKLOADS, MATMUL_SIZES, median, trainingFlops, type EngineResult } from './workloads.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    write: { type: 'string' },
    only: { type: 'string' },
  },
});
const quick = values.quick ? ['--quick'] : [];

interface Engine {
  name: string;
  cmd: string;
  args: string[];
}
const node = process.execPath;
const engines: Engine[] = [
  { name: 'keel', cmd: node, args: ['--expose-gc', '--import', 'tsx', 'bench/engines/keel.ts', ...quick] },
  { name: 'tfjs-wasm', cmd: node, args: ['--import', 'tsx', 'bench/engines/tfjs.ts', '--backend', 'wasm', ...quick] },
  { name: 'tfjs-cpu', cmd: node, args: ['--import', 'tsx', 'bench/engines/tfjs.ts', '--backend', 'cpu', ...quick] },
];
if (spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) {
  engines.push({ name: 'pytorch', cmd: '/usr/bin/python3', args: ['bench/engines/torch_bench.py', ...quick] });
}

const results: Record<string, EngineResult> = {};
for (const e of engines) {
  if (values.only !== undefined && !values.only.split(',').includes(e.name)) continue;
  if (!values.json) process.stderr.write(`running ${e.name} ...\n`);
  const r = spawnSync(e.cmd, e.args, { encoding: 'utf8', maxBuffer: 1 << 24, timeout: 30 * 60_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    results[e.name] = JSON.parse(line) as EngineResult;
  } catch {
    process.stderr.write(`${e.name} failed (exit ${r.status}): ${r.stderr.slice(-2000)}\n`);
  }
}

const fmt = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
const spread = (xs: number[] | undefined, d = 2) =>
  xs && xs.length ? `${fmt(median(xs), d)} (${fmt(Math.min(...xs), d)}–${fmt(Math.max(...xs), d)})` : '—';
const names = Object.keys(results);
const keel = results.keel;
const lines: string[] = [];
const memory = `${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${memory}, Node ${process.version}`;
lines.push(`Machine: ${machine}`, '');
const header = (first: string) =>
  `| ${first} | ${names.join(' | ')} | ${names
    .filter((n) => n !== 'keel')
    .map((n) => `${n}/keel`)
    .join(' | ')} |`;
const rule = () => `|${'---|'.repeat(1 + names.length + names.filter((n) => n !== 'keel').length)}`;

lines.push(
  'Training step through fit, ms/step: median (min–max); ratio = peer median / Keel median (> 1: Keel faster)',
  '',
);
lines.push(header('workload'), rule());
const TRAINED = [...WORKLOADS, ...RECURRENT_WORKLOADS];
for (const w of TRAINED) {
  const cells = names.map((n) => spread(results[n]!.train[w.key]));
  const k = keel?.train[w.key];
  const ratios = names
    .filter((n) => n !== 'keel')
    .map((n) => {
      const p = results[n]!.train[w.key];
      return p && k ? `${fmt(median(p) / median(k))}×` : '—';
    });
  lines.push(`| ${w.label} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
}
lines.push('');
lines.push('Throughput: samples/s (W1, W1b) and GFLOP/s (W2, 6·batch·Σ in·out per step)', '');
lines.push(`| workload | ${names.join(' | ')} |`, `|${'---|'.repeat(1 + names.length)}`);
for (const w of TRAINED) {
  const cells = names.map((n) => {
    const t = results[n]!.train[w.key];
    if (!t) return '—';
    const ms = median(t);
    return w.key === 'W2'
      ? `${fmt(trainingFlops(WORKLOADS.find((m) => m.key === 'W2')!) / (ms / 1000) / 1e9, 1)} GFLOP/s`
      : `${fmt((w.batch * 1000) / ms, 0)} samples/s`;
  });
  lines.push(`| ${w.key} | ${cells.join(' | ')} |`);
}
lines.push('');
lines.push('matmul GFLOP/s (m×k×n), median (min–max)', '');
lines.push(`| shape | ${names.join(' | ')} |`, `|${'---|'.repeat(1 + names.length)}`);
for (const s of MATMUL_SIZES)
  lines.push(`| ${s.join('×')} | ${names.map((n) => spread(results[n]!.matmul[s.join('x')], 1)).join(' | ')} |`);
lines.push('');
const torchR1 = results.pytorch?.extra.R1_one_thread as number[] | undefined;
if (torchR1 !== undefined && keel?.train.R1 !== undefined) {
  lines.push(
    `R1 with PyTorch on 1 thread (2 threads can stall on a loaded machine): ${spread(torchR1)} ms/step, ` +
      `${fmt(median(torchR1) / median(keel.train.R1))}× Keel`,
    '',
  );
}
for (const n of names) {
  const err = results[n]!.extra.R1_error;
  if (typeof err === 'string') lines.push(`R1 on ${n}: not run (${err})`, '');
}
const inference = names.map((n) => `${n} ${spread(results[n]!.inference, 0)}`).join('; ');
lines.push(`Inference, predict on 10,000 samples with W1 (batch 32), ms: ${inference}`);
if (keel !== undefined) {
  const e = keel.extra as Record<string, number>;
  if (e.monitor_overhead_percent !== undefined) {
    lines.push(
      `Gradient monitor (every ${e.monitor_every} steps) on W1: ` +
        `${fmt(e.monitor_ms_per_step_with!)} vs ${fmt(e.monitor_ms_per_step_without!)} ms/step with/without, ` +
        `wall-clock overhead ${fmt(e.monitor_overhead_percent!, 1)}%; ` +
        `time inside the probe ${fmt(e.monitor_estimated_percent!, 1)}% of training time`,
    );
  }
  lines.push(
    `Keel memory: peak RSS ${fmt(e.peak_rss_mb!, 0)} MB; ` +
      `heap growth over ${e.heap_steps} W1 steps (forced GC before and after) ${fmt(e.heap_growth_mb!, 3)} MB`,
  );
}
const text = lines.join('\n');
if (values.json) process.stdout.write(`${JSON.stringify({ machine, results }, null, 2)}\n`);
else process.stdout.write(`${text}\n`);
if (values.write !== undefined) {
  writeFileAtomic(
    values.write,
    '# Benchmarks\n\n' +
      'Reproduce with `npm run bench -- --write docs/benchmarks.md` (about 25 minutes, ' +
      "most of it TensorFlow.js's `cpu` backend; `-- --quick` for a rough look).\n" +
      'Each engine runs in its own process on the same machine in the same run; ' +
      'PyTorch uses 2 threads (`torch.set_num_threads(2)`), Keel its WebAssembly SIMD kernels on both cores, ' +
      'TensorFlow.js its `wasm` (single-threaded in Node) and `cpu` backends. ' +
      'W2 and the 1024³ matmul are skipped on the TensorFlow.js `cpu` backend (minutes per step).\n\n' +
      `${text}\n`,
  );
}
