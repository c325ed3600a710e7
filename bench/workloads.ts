/**
 * The benchmark workloads, described once so every engine runs the same thing.
 * FLOP counts: a dense layer costs 2·batch·in·out forward and twice that
 * backward, so a training step is 6·batch·Σ(in·out) (the formula).
 */
export interface MlpWorkload {
  key: 'W1' | 'W1b' | 'W2';
  label: string;
  input: number;
  hidden: number[];
  outputs: number;
  activation: 'elu' | 'relu';
  batchNorm: boolean;
  dropout: number;
  batch: number;
  /** Training steps per timed run. */
  steps: number;
}

export const WORKLOADS: readonly MlpWorkload[] = [
  {
    key: 'W1',
    label: 'W1 seed MLP 784-20x100-10 elu, batch 32',
    input: 784,
    hidden: Array(20).fill(100),
    outputs: 10,
    activation: 'elu',
    batchNorm: false,
    dropout: 0,
    batch: 32,
    steps: 200,
  },
  {
    key: 'W1b',
    label: 'W1b W1 + BN(before elu) + Dropout(0.2)',
    input: 784,
    hidden: Array(20).fill(100),
    outputs: 10,
    activation: 'elu',
    batchNorm: true,
    dropout: 0.2,
    batch: 32,
    steps: 200,
  },
  {
    key: 'W2',
    label: 'W2 wide MLP 784-1024-1024-10 relu, batch 256',
    input: 784,
    hidden: [1024, 1024],
    outputs: 10,
    activation: 'relu',
    batchNorm: false,
    dropout: 0,
    batch: 256,
    steps: 12,
  },
];

/** The small CNN of issue 12 (bench/cnn.ts) on 28×28×1 images, Adam 1e-3: one training step through fit. */
export const CNN_WORKLOAD = {
  key: 'CNN',
  label: 'CNN conv16-pool-conv32-pool-dense10 on 28×28×1, Adam, batch 64',
  batch: 64,
  steps: 40,
} as const;

/** Conv forward throughput: a 3×3 'same' convolution 64 → 64 channels on 32×32 images, batch 8. */
export const CONV_BENCH = { batch: 8, size: 32, channels: 64, kernel: 3 } as const;
export const CONV_BENCH_FLOPS =
  2 * CONV_BENCH.batch * CONV_BENCH.size ** 2 * CONV_BENCH.kernel ** 2 * CONV_BENCH.channels ** 2;

/**
 * Recurrent workloads (issue 13): LSTM(units) over [batch, T, features] → Dense(outputs, softmax), Adam 1e-3,
 * trained through fit on fixed pseudo-random data (the speed does not depend on the values).
 */
export interface RecurrentWorkload {
  key: 'R1';
  label: string;
  timesteps: number;
  features: number;
  units: number;
  outputs: number;
  batch: number;
  /** Training steps per timed run. */
  steps: number;
}

export const RECURRENT_WORKLOADS: readonly RecurrentWorkload[] = [
  {
    key: 'R1',
    label: 'R1 LSTM(64) on 28×28 sequences → Dense(10), Adam, batch 64',
    timesteps: 28,
    features: 28,
    units: 64,
    outputs: 10,
    batch: 64,
    steps: 30,
  },
];

/** Products per paired turn of the largest matmul (bench/paired.ts): ~0.2 s on an idle machine. */
export const PAIRED_MATMUL_REPS = 8;

export const MATMUL_SIZES: readonly [number, number, number][] = [
  [32, 100, 100],
  [256, 1024, 1024],
  [1024, 1024, 1024],
];

export function trainingFlops(w: MlpWorkload): number {
  const dims = [w.input, ...w.hidden, w.outputs];
  let macs = 0;
  for (let i = 0; i + 1 < dims.length; i++) macs += dims[i]! * dims[i + 1]!;
  return 6 * w.batch * macs;
}

/**
 * FLOPs of the matmuls a training step actually runs: forward, every weight gradient, and the input gradient
 * of every layer but the first (the data needs none; Keel and PyTorch both skip it) — trainingFlops less
 * 2·batch·in·out of the first layer.
 */
export function executedMatmulFlops(w: MlpWorkload): number {
  const first = w.hidden[0] ?? w.outputs;
  return trainingFlops(w) - 2 * w.batch * w.input * first;
}

/** One engine's results, as printed by each engine script with --json. */
export interface EngineResult {
  engine: string;
  backend: string;
  threads: number;
  /** workload key → per-run ms/step. */
  train: Record<string, number[]>;
  /** "MxKxN" → per-run GFLOP/s. */
  matmul: Record<string, number[]>;
  /** predict on 10,000 samples with W1, per-run ms. */
  inference: number[];
  /** Conv forward GFLOP/s per run (CONV_BENCH), when the engine ran it. */
  conv?: number[];
  /** Extra figures (probe overhead, memory) keyed by name; a workload an engine cannot run: `<key>_error`. */
  extra: Record<string, number | number[] | string>;
}

export { median } from '../src/util/median.js';

/** Runs one part of an engine's work and prints a progress line to stderr (run.ts shows it live). */
export async function timed<T>(engine: string, what: string, fn: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  process.stderr.write(`    ${engine}: ${what} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  return r;
}
