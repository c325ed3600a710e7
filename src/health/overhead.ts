/**
 * Probe overhead on the benchmark network W1: 784 → 20 × Dense(100, he_normal,
 * elu) → Dense(10, softmax), batch 32, SGD — the same steps timed with and
 * without a GradientMonitor, alternating runs to cancel drift.
 */
import { Sequential } from '../nn/model.js';
import { Dense } from '../nn/layers/dense.js';
import { SGD } from '../nn/optimizers/sgd.js';
import { Tensor } from '../tensor/tensor.js';
import { setSeed } from '../tensor/rng.js';
import { GradientMonitor, DEFAULT_EVERY } from './probe.js';
import { StopAfterSteps } from './stop-after.js';

export interface OverheadResult { every: number; msPerStepWithout: number; msPerStepWith: number; overheadPercent: number }

function w1(): Sequential {
  const layers = [new Dense(100, { activation: 'elu', kernelInitializer: 'he_normal', inputShape: [784] })];
  for (let i = 1; i < 20; i++) layers.push(new Dense(100, { activation: 'elu', kernelInitializer: 'he_normal' }));
  layers.push(new Dense(10, { activation: 'softmax' }));
  const model = new Sequential(layers);
  model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
  return model;
}

/** Median ms/step over `rounds` alternating runs of `steps` steps each. */
export async function measureProbeOverhead(opts: { every?: number; steps?: number; rounds?: number } = {}): Promise<OverheadResult> {
  const every = opts.every ?? DEFAULT_EVERY, steps = opts.steps ?? 100, rounds = opts.rounds ?? 5;
  setSeed(0);
  const n = 32 * steps;
  const x = new Float32Array(n * 784), y = new Float32Array(n);
  for (let i = 0; i < x.length; i++) x[i] = Math.random();
  for (let i = 0; i < n; i++) y[i] = i % 10;
  const xt = new Tensor(x, [n, 784]), yt = new Tensor(y, [n]);
  const model = w1();
  const time = async (monitor: boolean) => {
    const callbacks = monitor ? [new GradientMonitor({ every }), new StopAfterSteps(steps)] : [new StopAfterSteps(steps)];
    const t0 = performance.now();
    await model.fit(xt, yt, { epochs: 1, batchSize: 32, verbose: 0, shuffle: false, callbacks });
    return (performance.now() - t0) / steps;
  };
  await time(false); await time(true); // warm-up
  const without: number[] = [], withMonitor: number[] = [];
  for (let r = 0; r < rounds; r++) { without.push(await time(false)); withMonitor.push(await time(true)); }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const a = med(without), b = med(withMonitor);
  return { every, msPerStepWithout: a, msPerStepWith: b, overheadPercent: ((b - a) / a) * 100 };
}
