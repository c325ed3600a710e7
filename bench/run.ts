/**
 * `npm run bench [-- --json] [-- --quick] [-- --only keel,pytorch] [-- --rounds N] [-- --pairs N]
 *   [-- --write docs/benchmarks.md]`:
 * runs Keel, TensorFlow.js (cpu, wasm) and PyTorch (when `/usr/bin/python3 -c "import torch"`
 * works) each in its own process on the same workloads, then prints the figures
 * side by side with ratios (peer time / Keel time: > 1 means Keel is faster).
 * Keel and PyTorch run `--rounds` times (default 2; 1 with --quick), in alternating order, because a shared
 * machine's speed drifts over minutes: each round gives its own ratio, and the table shows them all.
 * Then both take turns on the MLP workloads and the 1024³ matmul, `--pairs` turns each, with the host's load
 * probed between turns (bench/paired.ts), for ratios of two engines timed seconds apart.
 */
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../src/io/write-atomic.js';
import {
  WORKLOADS,
  RECURRENT_WORKLOADS,
  MATMUL_SIZES,
  PAIRED_MATMUL_REPS,
  CNN_WORKLOAD,
  median,
  trainingFlops,
  executedMatmulFlops,
  type EngineResult,
} from './workloads.js';
import { measureLoad, ratioRefusal } from './load.js';
import { runPairs, summarizePairs, quietPairs, QUIET_FLOP_PER_CYCLE, type Pair, type PairSummary } from './paired.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    write: { type: 'string' },
    only: { type: 'string' },
    rounds: { type: 'string' },
    pairs: { type: 'string' },
  },
});
const rounds = values.rounds !== undefined ? Number(values.rounds) : values.quick ? 1 : 2;
if (!Number.isInteger(rounds) || rounds < 1)
  throw new Error(`bench: --rounds must be a whole number ≥ 1; received ${values.rounds}`);
const pairCount = values.pairs !== undefined ? Number(values.pairs) : values.quick ? 6 : 40;
if (!Number.isInteger(pairCount) || pairCount < 0)
  throw new Error(`bench: --pairs must be a whole number ≥ 0 (0 skips the paired turns); received ${values.pairs}`);
/** The engines the ratios compare: they run every round; the others once. */
const REPEATED = new Set(['keel', 'pytorch']);
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

const say = (line: string) => process.stderr.write(`${line}\n`);
// Seconds per engine [--quick, full] on an idle 2-core machine (measured; update them when the workloads
// change), so nobody stares at a silent terminal wondering.
const EXPECTED: Record<string, [number, number]> = {
  keel: [25, 110],
  'tfjs-wasm': [40, 130],
  'tfjs-cpu': [150, 190],
  pytorch: [10, 35],
};
const expectedOf = (name: string) => EXPECTED[name]?.[values.quick ? 0 : 1] ?? 60;
const duration = (s: number) =>
  s < 90 ? `about ${Math.round(s / 10) * 10 || 10} s` : `about ${Math.round(s / 60)} min`;
// --quick leaves out TensorFlow.js's cpu backend (minutes even for a rough look) unless --only names it.
const chosen = engines.filter((e) =>
  values.only !== undefined ? values.only.split(',').includes(e.name) : !(values.quick && e.name === 'tfjs-cpu'),
);
// The schedule: every chosen engine in round 1, then Keel and PyTorch again, in reverse order every other round.
const schedule: Engine[] = [];
for (let r = 0; r < rounds; r++) {
  const these = chosen.filter((e) => r === 0 || REPEATED.has(e.name));
  schedule.push(...(r % 2 === 0 ? these : [...these].reverse()));
}
const pairing = pairCount > 0 && ['keel', 'pytorch'].every((n) => chosen.some((e) => e.name === n));
// Seconds the paired turns take on an idle machine: both engines' start, then per pair of every key.
const pairedSeconds = pairing ? (values.quick ? 15 + 1.5 * pairCount : 15 + 4 * pairCount) : 0;
/** What Keel and PyTorch take turns on: the MLP workloads (epochs) and the largest matmul (PAIRED_MATMUL_REPS). */
const BIG = MATMUL_SIZES.at(-1)!;
/** The largest matmul's key in the results (and in the paired turns), and its GFLOP/s at `ms` per product. */
const BIG_KEY = BIG.join('x');
const bigRate = (ms: number) => (2 * BIG[0] * BIG[1] * BIG[2]) / (ms / 1000) / 1e9;
const PAIRED_KEYS = [...WORKLOADS.map((w) => w.key), BIG_KEY];
const total = schedule.reduce((sum, e) => sum + expectedOf(e.name), 0) + pairedSeconds;
say(
  `bench: ${chosen.map((e) => e.name).join(', ')}${values.quick ? ' (quick)' : ''}` +
    `${rounds > 1 ? `, keel and pytorch in ${rounds} rounds` : ''}: ${duration(total)} in all ` +
    'on an idle machine (longer when it is busy)',
);
say('bench: measuring the machine load first (2 s) ...');
const loadBefore = await measureLoad();
say(`bench: other processes use ${(loadBefore.fraction * 100).toFixed(0)}% of the CPU (${loadBefore.how})`);
/** Each engine's result per round it ran. */
const byRound: Record<string, EngineResult[]> = {};
const benchStart = Date.now();
let left = total;
for (const [i, e] of schedule.entries()) {
  say(`bench: [${i + 1}/${schedule.length}] ${e.name}, ${duration(expectedOf(e.name))} (${duration(left)} left) ...`);
  left -= expectedOf(e.name);
  const started = Date.now();
  // The engine's stderr (its progress lines, and any error) goes straight to ours.
  const r = spawnSync(e.cmd, e.args, {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    timeout: 30 * 60_000,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  say(`bench: [${i + 1}/${schedule.length}] ${e.name} done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    (byRound[e.name] ??= []).push(JSON.parse(line) as EngineResult);
  } catch {
    process.stderr.write(`${e.name} failed (exit ${r.status}; its messages are above)\n`);
  }
}
/** Per key, the pairs of turns Keel and PyTorch took. */
let paired: Record<string, Pair[]> = {};
if (pairing) {
  say(
    `bench: keel and pytorch taking turns, ${pairCount} pairs of each of ${PAIRED_KEYS.join(', ')}, ` +
      `${duration(pairedSeconds)} ...`,
  );
  paired = await runPairs({ keys: PAIRED_KEYS, pairs: pairCount, quick: values.quick, say });
}
const results: Record<string, EngineResult> = Object.fromEntries(
  Object.entries(byRound).map(([name, rs]) => [name, mergeRounds(rs)]),
);

say(`bench: all engines done in ${((Date.now() - benchStart) / 1000).toFixed(0)} s; measuring the load again (2 s)`);
const refusal = ratioRefusal([loadBefore, await measureLoad()]);

/** One engine's rounds as one result: every timing list concatenated; other extras from the first round. */
function mergeRounds(rs: EngineResult[]): EngineResult {
  const first = rs[0]!;
  if (rs.length === 1) return first;
  const joinAll = (pick: (r: EngineResult) => Record<string, number[]>) => {
    const out: Record<string, number[]> = {};
    for (const r of rs) for (const [k, v] of Object.entries(pick(r))) (out[k] ??= []).push(...v);
    return out;
  };
  const extra: EngineResult['extra'] = { ...first.extra };
  for (const [k, v] of Object.entries(first.extra))
    if (Array.isArray(v)) extra[k] = rs.flatMap((r) => (Array.isArray(r.extra[k]) ? (r.extra[k] as number[]) : []));
  return {
    ...first,
    train: joinAll((r) => r.train),
    matmul: joinAll((r) => r.matmul),
    inference: rs.flatMap((r) => r.inference),
    ...(first.conv !== undefined ? { conv: rs.flatMap((r) => r.conv ?? []) } : {}),
    extra,
  };
}
if (refusal !== null) say(`bench: ${refusal}`);

const fmt = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
/** The ratio peer / Keel for one workload in each round both ran. */
function roundRatios(peer: string, key: string): string[] {
  const ours = byRound.keel ?? [],
    theirs = byRound[peer] ?? [];
  const out: string[] = [];
  for (let r = 0; r < Math.min(ours.length, theirs.length); r++) {
    const k = ours[r]!.train[key],
      p = theirs[r]!.train[key];
    if (k?.length && p?.length) out.push(`${fmt(median(p) / median(k))}×`);
  }
  return out;
}
const spread = (xs: number[] | undefined, d = 2) =>
  xs && xs.length ? `${fmt(median(xs), d)} (${fmt(Math.min(...xs), d)}–${fmt(Math.max(...xs), d)})` : '—';
const names = Object.keys(results);
const keel = results.keel;
const lines: string[] = [];
const memory = `${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${memory}, Node ${process.version}`;
lines.push(`Machine: ${machine}`, '');
if (refusal !== null) lines.push(`**${refusal}**`, '');
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
const TRAINED = [...WORKLOADS, CNN_WORKLOAD, ...RECURRENT_WORKLOADS];
for (const w of TRAINED) {
  const cells = names.map((n) => spread(results[n]!.train[w.key]));
  const k = keel?.train[w.key];
  const ratios = names
    .filter((n) => n !== 'keel')
    .map((n) => {
      const p = results[n]!.train[w.key];
      if (refusal !== null) return 'withheld (busy)';
      if (!p || !k) return '—';
      const perRound = roundRatios(n, w.key);
      return `${fmt(median(p) / median(k))}×${perRound.length > 1 ? ` (rounds ${perRound.join(', ')})` : ''}`;
    });
  lines.push(`| ${w.label} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
}
lines.push('');
if (Object.keys(paired).length > 0) {
  const ratio = (s: PairSummary | null) =>
    s === null ? '—' : refusal !== null ? 'withheld (busy)' : `${fmt(s.ratio)}× (${fmt(s.low)}–${fmt(s.high)})`;
  /** A median time of the idle pairs: ms per step, or for the matmul ms per product and its GFLOP/s. */
  const time = (key: string, ms: number | undefined) =>
    ms === undefined ? '—' : key === BIG_KEY ? `${fmt(ms)} ms, ${fmt(bigRate(ms), 1)} GFLOP/s` : `${fmt(ms)} ms/step`;
  lines.push(
    'Paired turns (bench/paired.ts): Keel and PyTorch stay up and alternate turns (one epoch of a workload, or ' +
      `${PAIRED_MATMUL_REPS} products of the ${BIG.join('×')} matmul), each pair between two readings of the FMA ` +
      'inner loop; ratio per pair = PyTorch ms / Keel ms, median (quartiles). An idle pair: the loop ran at least ' +
      `${QUIET_FLOP_PER_CYCLE} FLOP per cycle per core before and after it (the bound is 16; a neighbour on the ` +
      'same cores lowers it)',
    '',
    '| turn | pairs | pytorch/keel, all pairs | idle pairs | pytorch/keel, idle pairs | keel, idle | pytorch, idle |',
    '|---|---|---|---|---|---|---|',
  );
  for (const [key, pairs] of Object.entries(paired)) {
    const all = summarizePairs(pairs),
      idle = summarizePairs(quietPairs(pairs));
    const label = key === BIG_KEY ? `matmul ${BIG.join('×')}` : key;
    lines.push(
      `| ${label} | ${pairs.length} | ${ratio(all)} | ${idle?.pairs ?? 0} | ${ratio(idle)} | ` +
        `${time(key, idle?.keelMs)} | ${time(key, idle?.pytorchMs)} |`,
    );
  }
  lines.push('');
}
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
lines.push(
  "Conv forward GFLOP/s, 3×3 'same' 64 → 64 channels on 32×32, batch 8: " +
    names.map((n) => `${n} ${spread(results[n]!.conv, 1)}`).join('; '),
);
const cnnErrors = names.filter((n) => results[n]!.extra.cnn_error !== undefined);
for (const n of cnnErrors) lines.push(`${n} cannot train the CNN: ${String(results[n]!.extra.cnn_error)}`);
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
if (keel !== undefined && Array.isArray(keel.extra.ceiling_plain)) {
  const e = keel.extra as Record<string, number[] | number>;
  const plain = e.ceiling_plain as number[],
    fma = e.ceiling_fma as number[];
  const gemm = keel.matmul[BIG_KEY];
  const share = (xs: number[] | undefined) =>
    gemm && xs && xs.length
      ? ` (the ${BIG.join('×')} matmul's best run: ${fmt((100 * Math.max(...gemm)) / Math.max(...xs), 0)}% of ` +
        "the loop's best)"
      : '';
  const fused = e.relaxed_simd === 1;
  lines.push(
    `WebAssembly ceiling on ${keel.threads} threads, the matmul's inner loop alone on L1-resident panels ` +
      '(4×8 tile with mul + add, 3×12 with FMA) ' +
      `(bench/ceiling.ts), GFLOP/s: mul + add ${spread(plain, 1)}${fused ? '' : share(plain)}; ` +
      `fused multiply-add ${fma.length ? spread(fma, 1) : 'not available'}${fused ? share(fma) : ''}`,
  );
  const perCycle = e.ceiling_fma_per_cycle as number[] | undefined,
    ghz = e.ceiling_ghz as number[] | undefined;
  if (perCycle?.length && ghz?.length) {
    // The instruction set's bound, free of the host's moods: two 128-bit FMA pipes do 2 × 4 lanes × 2 FLOP per
    // cycle; at the clock measured in the same rounds, that is the most any 128-bit kernel can do here.
    const isa = 16 * median(ghz) * keel.threads;
    lines.push(
      `The FMA loop per core, at the clock measured in the same rounds (${spread(ghz, 2)} GHz, a dependent ` +
        `integer chain): ${spread(perCycle, 1)} FLOP per cycle of the 16 that two 128-bit FMA pipes allow, ` +
        `i.e. at most ${fmt(isa, 0)} GFLOP/s on ${keel.threads} cores for any 128-bit kernel` +
        (gemm ? `; the ${BIG.join('×')} matmul ran ${fmt((100 * median(gemm)) / isa, 0)}% of that` : ''),
    );
  }
  const w2 = keel.train.W2;
  // What the ceiling allows W2 at best: all of its FLOPs at the inner loop's rate, nothing else.
  const best = fused && fma.length ? fma : plain;
  const torchW2 = results.pytorch?.train.W2;
  if (best.length && torchW2 !== undefined) {
    const flops = executedMatmulFlops(WORKLOADS.find((m) => m.key === 'W2')!);
    // The loop's best round is the most this machine gave; a bound must not rest on a slow moment.
    const floor = (flops / (Math.max(...best) * 1e9)) * 1000;
    lines.push(
      `W2 runs ${fmt(flops / 1e9)} GFLOP of matmuls per step (no input gradient for the first layer): at the ` +
        "loop's best rate, with nothing else to do, a step takes " +
        'at least ' +
        `${fmt(floor, 1)} ms, so Keel can reach at most ${fmt(median(torchW2) / floor)}× PyTorch's ` +
        `${fmt(median(torchW2), 1)} ms in this run`,
    );
    // The same FLOPs at each engine's own large-matmul rate, from the paired turns (timed seconds apart): how far
    // the instruction sets alone put the engines apart on W2, and how much of each step is matmul at that rate.
    // From the idle pairs only, and only when both turns have at least 3: a matmul timed while a neighbour took
    // the cores, set against steps timed in other seconds, gives shares that mean nothing (above 100%, seen).
    const stepIdle = quietPairs(paired.W2 ?? []),
      productIdle = quietPairs(paired[BIG_KEY] ?? []);
    const step = summarizePairs(stepIdle),
      product = summarizePairs(productIdle);
    if (step !== null && product !== null && step.pairs >= 3 && product.pairs >= 3) {
      const ours = (flops / (bigRate(product.keelMs) * 1e9)) * 1000,
        theirs = (flops / (bigRate(product.pytorchMs) * 1e9)) * 1000;
      lines.push(
        `In the idle pairs, W2's matmuls at each engine's own ${BIG.join('×')} rate (Keel ` +
          `${fmt(bigRate(product.keelMs), 1)}, PyTorch ${fmt(bigRate(product.pytorchMs), 1)} GFLOP/s) take ` +
          `${fmt(ours, 1)} and ${fmt(theirs, 1)} ms: ${fmt((100 * ours) / step.keelMs, 0)}% of Keel's step ` +
          `(${fmt(step.keelMs, 1)} ms) and ${fmt((100 * theirs) / step.pytorchMs, 0)}% of PyTorch's ` +
          `(${fmt(step.pytorchMs, 1)} ms). Were Keel's share PyTorch's, W2 would show ${fmt(theirs / ours)}×, the ` +
          'ratio of the two matmul rates',
      );
    } else if (Object.keys(paired).length > 0) {
      lines.push(
        `Too few idle pairs (W2 ${stepIdle.length}, matmul ${productIdle.length}; 3 of each needed) to set W2's ` +
          'step against the two matmul rates',
      );
    }
  }
  if (fused && Array.isArray(e.plain_W2))
    lines.push(
      `Keel on the plain build (KEEL_RELAXED_SIMD=0, multiply + add): W2 ${spread(e.plain_W2)} ms/step ` +
        `(FMA ${w2 ? fmt(median(w2)) : '—'}), ${BIG.join('×')} matmul ${spread(e.plain_matmul as number[], 1)} ` +
        `GFLOP/s (FMA ${gemm ? fmt(median(gemm), 1) : '—'})`,
    );
  lines.push('');
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
if (values.json) process.stdout.write(`${JSON.stringify({ machine, results, paired }, null, 2)}\n`);
else process.stdout.write(`${text}\n`);
if (values.write !== undefined) {
  writeFileAtomic(
    values.write,
    '# Benchmarks\n\n' +
      'Reproduce with `npm run bench -- --write docs/benchmarks.md` (about 13 minutes on an idle machine; ' +
      '`-- --quick` for a rough look in about two).\n' +
      'Each engine runs in its own process on the same machine in the same run; ' +
      'PyTorch uses 2 threads (`torch.set_num_threads(2)`), Keel its WebAssembly SIMD kernels on both cores, ' +
      'TensorFlow.js its `wasm` (single-threaded in Node) and `cpu` backends. ' +
      'W2 and the 1024³ matmul are skipped on the TensorFlow.js `cpu` backend (minutes per step), which times ' +
      '25 steps per run of W1 and W1b and 3 runs of everything (the others 5 runs; W1 and W1b 200 steps, ' +
      'TensorFlow.js `wasm` 100); TensorFlow.js `wasm` times W2 over 3 steps (3 runs). `--quick` leaves out the ' +
      'TensorFlow.js `cpu` backend.\n' +
      `Keel and PyTorch run ${rounds === 1 ? 'once' : `${rounds} times, in alternating order`} (\`--rounds\`): a ` +
      "shared machine's speed drifts over minutes, so each round's ratio is shown next to the pooled one " +
      '(medians over all runs of both rounds).\n' +
      (pairing
        ? `Then Keel and PyTorch stay up and take turns, ${pairCount} pairs on each MLP workload and the ` +
          `${BIG.join('×')} matmul (\`--pairs\`, bench/paired.ts): two engines timed seconds apart see the same ` +
          'host, and the FMA loop probed between the turns says which pairs ran on an idle one.\n'
        : '') +
      'The run prints progress lines and an estimate of its duration, and withholds the ratios when other ' +
      'processes used more than a quarter of the CPU (bench/load.ts).\n\n' +
      `${text}\n`,
  );
}
