/**
 * Probe overhead on the benchmark network W1: 784 → 20 × Dense(100, he_normal,
 * elu) → Dense(10, softmax), batch 32, SGD — the same steps timed with and
 * without a GradientMonitor, alternating runs to cancel drift.
 */
import { Sequential } from '../nn/model.js';
import { Dense } from '../nn/layers/dense.js';
import { SGD } from '../nn/optimizers/sgd.js';
import { Tensor } from '../tensor/tensor.js';
import { getGlobalRandom, setSeed } from '../tensor/rng.js';
import { GradientMonitor, DEFAULT_EVERY } from './probe.js';
import { StopAfterSteps } from './stop-after.js';

export interface OverheadResult {
  every: number;
  msPerStepWithout: number;
  msPerStepWith: number;
  /** Wall-clock difference: noisy on a shared machine. */
  overheadPercent: number;
  /** Time inside the probe per sampled step, and what it implies: probe ms / (every · step ms). Robust to load. */
  probeMsPerSample: number;
  estimatedPercent: number;
}

/** A GradientMonitor that times its own work. */
class TimedMonitor extends GradientMonitor {
  spentMs = 0;
  samples = 0;
  override beforeUpdate(view: Parameters<GradientMonitor['beforeUpdate']>[0]): void {
    const t0 = performance.now();
    super.beforeUpdate(view);
    this.spentMs += performance.now() - t0;
    this.samples++;
  }
  override afterUpdate(view: Parameters<GradientMonitor['afterUpdate']>[0]): void {
    const t0 = performance.now();
    super.afterUpdate(view);
    this.spentMs += performance.now() - t0;
  }
}

function w1(): Sequential {
  const layers = [new Dense(100, { activation: 'elu', kernelInitializer: 'he_normal', inputShape: [784] })];
  for (let i = 1; i < 20; i++) layers.push(new Dense(100, { activation: 'elu', kernelInitializer: 'he_normal' }));
  layers.push(new Dense(10, { activation: 'softmax' }));
  const model = new Sequential(layers);
  model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
  return model;
}

/** Median ms/step over `rounds` alternating runs of `steps` steps each. */
export async function measureProbeOverhead(
  opts: { every?: number; steps?: number; rounds?: number } = {},
): Promise<OverheadResult> {
  const every = opts.every ?? DEFAULT_EVERY,
    steps = opts.steps ?? 200,
    rounds = opts.rounds ?? 6;
  setSeed(0);
  const n = 32 * steps;
  const x = new Float32Array(n * 784),
    y = new Float32Array(n);
  const rng = getGlobalRandom();
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  for (let i = 0; i < n; i++) y[i] = i % 10;
  const xt = new Tensor(x, [n, 784]),
    yt = new Tensor(y, [n]);
  const model = w1();
  const probeTimes: number[] = [];
  const time = async (monitor: boolean) => {
    const timed = new TimedMonitor({ every });
    const callbacks = monitor ? [timed, new StopAfterSteps(steps)] : [new StopAfterSteps(steps)];
    const t0 = performance.now();
    await model.fit(xt, yt, { epochs: 1, batchSize: 32, verbose: 0, shuffle: false, callbacks });
    const ms = (performance.now() - t0) / steps;
    if (monitor && timed.samples > 0) probeTimes.push(timed.spentMs / timed.samples);
    return ms;
  };
  await time(false);
  await time(true); // warm-up
  const without: number[] = [],
    withMonitor: number[] = [];
  // ABBA order so a machine slowing down (or speeding up) during the measurement favours neither side.
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      without.push(await time(false));
      withMonitor.push(await time(true));
    } else {
      withMonitor.push(await time(true));
      without.push(await time(false));
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const a = med(without),
    b = med(withMonitor);
  const probe = med(probeTimes);
  return {
    every,
    msPerStepWithout: a,
    msPerStepWith: b,
    overheadPercent: ((b - a) / a) * 100,
    probeMsPerSample: probe,
    estimatedPercent: (probe / (every * a)) * 100,
  };
}
