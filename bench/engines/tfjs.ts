/**
 * TensorFlow.js in Node (`cpu` or `wasm` backend; tfjs-node cannot be installed
 * here): the same workloads through tf.LayersModel.fit. Run one backend per process.
 * Usage: node --import tsx bench/engines/tfjs.ts --backend cpu|wasm [--quick]
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { parseArgs } from 'node:util';
import {
  WORKLOADS,
  MATMUL_SIZES,
  CNN_WORKLOAD,
  CONV_BENCH,
  CONV_BENCH_FLOPS,
  RECURRENT_WORKLOADS,
  timed,
  type EngineResult,
  type MlpWorkload,
  type RecurrentWorkload,
} from '../workloads.js';

const { values } = parseArgs({
  options: { backend: { type: 'string', default: 'cpu' }, quick: { type: 'boolean', default: false } },
});
/** Timed runs per figure: fewer on the `cpu` backend, where each takes seconds. */
const runs = values.quick ? 2 : values.backend === 'cpu' ? 3 : 5;
/**
 * Steps per timed run: the workload's, capped where a step takes long enough that fewer steps time it as well
 * (the `cpu` backend's 90–200 ms MLP steps, the `wasm` backend's 2-second W2 steps); this keeps the full
 * `npm run bench` near 10 minutes.
 */
function stepsFor(w: MlpWorkload): number {
  if (values.quick) return Math.max(3, w.steps >> 2);
  if (values.backend === 'cpu') return Math.min(w.steps, 25);
  return w.key === 'W2' ? Math.min(w.steps, 3) : Math.min(w.steps, 100);
}
/** Timed runs for MLP training: fewer where every step is slow. */
const trainRuns = (w: MlpWorkload) => (values.quick ? 2 : values.backend === 'cpu' || w.key === 'W2' ? 3 : runs);

async function setBackend(name: string): Promise<void> {
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend(name);
  await tf.ready();
  // The wasm backend silently falls back to cpu when it fails to start: refuse to time the wrong thing.
  if (tf.getBackend() !== name)
    throw new Error(`TensorFlow.js backend '${name}' did not start (got '${tf.getBackend()}')`);
}

function buildModel(w: MlpWorkload): tfl.Sequential {
  const model = tfl.sequential();
  w.hidden.forEach((units, i) => {
    const first = i === 0 ? { inputShape: [w.input] } : {};
    if (w.batchNorm) {
      model.add(tfl.layers.dense({ units, useBias: false, kernelInitializer: 'heNormal', ...first }));
      model.add(tfl.layers.batchNormalization());
      model.add(tfl.layers.activation({ activation: w.activation }));
    } else {
      model.add(tfl.layers.dense({ units, activation: w.activation, kernelInitializer: 'heNormal', ...first }));
    }
    if (w.dropout > 0) model.add(tfl.layers.dropout({ rate: w.dropout }));
  });
  model.add(tfl.layers.dense({ units: w.outputs, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

async function timeTraining(w: MlpWorkload): Promise<number[]> {
  const model = buildModel(w);
  const steps = stepsFor(w);
  const n = steps * w.batch;
  const x = tf.randomNormal([n, w.input]);
  const y = tf.tensor1d(
    Array.from({ length: n }, (_v, i) => i % w.outputs),
    'float32',
  );
  await model.fit(x, y, { epochs: 1, batchSize: w.batch, verbose: 0 }); // warm-up
  const out: number[] = [];
  for (let r = 0; r < trainRuns(w); r++) {
    const t0 = performance.now();
    await model.fit(x, y, { epochs: 1, batchSize: w.batch, verbose: 0, shuffle: true });
    out.push((performance.now() - t0) / steps);
  }
  x.dispose();
  y.dispose();
  model.dispose();
  return out;
}

/** The small CNN (bench/cnn.ts) in TF.js layers; a backend that cannot train it throws (reported, not timed). */
async function timeCnn(): Promise<number[]> {
  const w = CNN_WORKLOAD;
  const model = tfl.sequential();
  model.add(
    tfl.layers.conv2d({
      filters: 16,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: 'heNormal',
      inputShape: [28, 28, 1],
    }),
  );
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
  // The cpu backend takes tens of seconds per step here: one step per run (warm-up and two timed runs).
  const steps = values.quick || values.backend === 'cpu' ? 1 : 2;
  const n = steps * w.batch;
  const x = tf.randomUniform([n, 28, 28, 1]);
  const y = tf.tensor1d(
    Array.from({ length: n }, (_v, i) => i % 10),
    'float32',
  );
  try {
    await model.fit(x, y, { epochs: 1, batchSize: w.batch, verbose: 0 }); // warm-up
    const out: number[] = [];
    for (let r = 0; r < 2; r++) {
      const t0 = performance.now();
      await model.fit(x, y, { epochs: 1, batchSize: w.batch, verbose: 0, shuffle: true });
      out.push((performance.now() - t0) / steps);
    }
    return out;
  } finally {
    x.dispose();
    y.dispose();
    model.dispose();
  }
}

async function timeConv(): Promise<number[]> {
  const { batch, size, channels, kernel } = CONV_BENCH;
  const x = tf.randomNormal([batch, size, size, channels]) as tf.Tensor4D;
  const k = tf.randomNormal([kernel, kernel, channels, channels]) as tf.Tensor4D;
  tf.conv2d(x, k, 1, 'same').dataSync();
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const reps = 3;
    for (let i = 0; i < reps; i++) {
      const y = tf.conv2d(x, k, 1, 'same');
      y.dataSync();
      y.dispose();
    }
    out.push((CONV_BENCH_FLOPS * reps) / ((performance.now() - t0) / 1000) / 1e9);
  }
  x.dispose();
  k.dispose();
  return out;
}

/**
 * The LSTM workload with Keras 3's sigmoid gates spelled out (TF.js defaults to hard_sigmoid). The recurrent kernel
 * starts glorot_uniform: TF.js's orthogonal initializer fails here (it calls a chained op that tfjs-layers alone
 * does not register); the start values do not change the speed.
 */
async function timeRecurrent(w: RecurrentWorkload): Promise<number[]> {
  const model = tfl.sequential();
  model.add(
    tfl.layers.lstm({
      units: w.units,
      recurrentActivation: 'sigmoid',
      recurrentInitializer: 'glorotUniform',
      inputShape: [w.timesteps, w.features],
    }),
  );
  model.add(tfl.layers.dense({ units: w.outputs, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
  // Seconds per step on the cpu backend: a few steps are enough to time it.
  const steps = values.quick || values.backend === 'cpu' ? 3 : Math.max(3, w.steps >> 2);
  const n = steps * w.batch;
  const x = tf.randomUniform([n, w.timesteps, w.features]);
  const y = tf.tensor1d(
    Array.from({ length: n }, (_v, i) => i % w.outputs),
    'float32',
  );
  await model.fit(x, y, { epochs: 1, batchSize: w.batch, verbose: 0 }); // warm-up
  const out: number[] = [];
  for (let r = 0; r < Math.min(runs, 3); r++) {
    const t0 = performance.now();
    await model.fit(x, y, { epochs: 1, batchSize: w.batch, verbose: 0, shuffle: true });
    out.push((performance.now() - t0) / steps);
  }
  x.dispose();
  y.dispose();
  model.dispose();
  return out;
}

async function timeMatmul([m, k, n]: [number, number, number]): Promise<number[]> {
  const a = tf.randomNormal([m, k]),
    b = tf.randomNormal([k, n]);
  const reps = Math.max(1, Math.round(2e8 / (m * k * n)));
  tf.matMul(a, b).dataSync();
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    }
    out.push((2 * m * k * n * reps) / ((performance.now() - t0) / 1000) / 1e9);
  }
  a.dispose();
  b.dispose();
  return out;
}

async function timeInference(): Promise<number[]> {
  const model = buildModel(WORKLOADS[0]!);
  const x = tf.randomNormal([10_000, 784]);
  (model.predict(x, { batchSize: 32 }) as tf.Tensor).dataSync();
  const out: number[] = [];
  // A pass takes seconds (~10 s on the cpu backend): three timed passes are enough.
  for (let r = 0; r < Math.min(runs, 3); r++) {
    const t0 = performance.now();
    const y = model.predict(x, { batchSize: 32 }) as tf.Tensor;
    y.dataSync();
    y.dispose();
    out.push(performance.now() - t0);
  }
  return out;
}

await setBackend(values.backend!);
const result: EngineResult = {
  engine: 'tfjs',
  backend: values.backend!,
  threads: 1,
  train: {},
  matmul: {},
  inference: [],
  extra: {},
};
const E = `tfjs-${values.backend}`;
for (const w of WORKLOADS) {
  // W2 on the cpu backend takes minutes per step; skip rather than stall the run.
  if (w.key === 'W2' && values.backend === 'cpu') continue;
  result.train[w.key] = await timed(E, w.key, () => timeTraining(w));
}
try {
  result.train[CNN_WORKLOAD.key] = await timed(E, 'CNN', timeCnn);
} catch (e) {
  result.extra.cnn_error = String((e as Error).message).slice(0, 200) as unknown as number;
}
result.conv = await timed(E, 'conv', timeConv);
for (const w of RECURRENT_WORKLOADS) {
  try {
    result.train[w.key] = await timed(E, w.key, () => timeRecurrent(w));
  } catch (e) {
    result.extra[`${w.key}_error`] = (e as Error).message.slice(0, 200);
  }
}
for (const s of MATMUL_SIZES) {
  if (values.backend === 'cpu' && s[0] * s[1] * s[2] > 3e8) continue;
  result.matmul[s.join('x')] = await timed(E, `matmul ${s.join('×')}`, () => timeMatmul(s));
}
result.inference = await timed(E, 'inference', timeInference);
process.stdout.write(`${JSON.stringify(result)}\n`);
