/**
 * Klambauer et al. (2017), "Self-Normalizing Neural Networks": the (0, 1) fixed
 * point of the SELU mean/variance map, its attraction through 100 layers with
 * lecun_normal weights, what breaks it, and SNN vs ReLU+BatchNorm training.
 */
import { Tensor } from '../tensor/tensor.js';
import { Random, setSeed } from '../tensor/rng.js';
import { Dense } from '../nn/layers/dense.js';
import { Dropout } from '../nn/layers/dropout.js';
import { AlphaDropout } from '../nn/layers/alpha-dropout.js';
import { selu as seluFn } from '../nn/activations.js';
import { SGD } from '../nn/optimizers/index.js';
import { Sequential } from '../nn/model.js';
import type { Layer } from '../nn/layers/layer.js';
import type { ActivationIdentifier } from '../nn/activations.js';
import { solveFixedPointParams, seluMap, iterateVariance, type SeluParams } from './lib/selu-map.js';
import { forwardMoments, gaussian } from './lib/probe.js';
import { moments, type Moments } from './lib/stats.js';
import { mlp, denseBlock, bnBeforeBlock, type Kernel } from './lib/mlp.js';
import { teacherData, trainSteps } from './lib/teacher.js';
import { fashionData } from './lib/fashion.js';
import { compileClassifier, fitEpochs } from './lib/fit.js';
import { loadFashionMnist } from '../data/fashion-mnist.js';
import { fixed, seconds } from './lib/format.js';
import { seluReport } from './selu2017-report.js';
import type { Experiment, ExperimentOptions } from './types.js';

export interface DepthStatsRow {
  key: string;
  label: string;
  width: number;
  at: { layer: number; moments: Moments }[];
}
export interface DropoutRow {
  layer: string;
  alpha: boolean;
  mean: number;
  variance: number;
}
export interface TrainRow {
  key: string;
  seed: number;
  depth: number;
  finalLoss: number;
  valAccuracy: number;
  roughness: number;
  curve: number[];
}
export interface SeluResults {
  params: SeluParams;
  fixedPointResidual: number;
  iterates: { nu0: number; nu30: number }[];
  jacobian: { dNuDNu: number; dMuDNu: number };
  depthStats: DepthStatsRow[];
  dropout: DropoutRow[];
  teacher: TrainRow[];
  fashion: TrainRow[];
}

const REPORT_LAYERS = [1, 10, 50, 100];
type InputKind = 'standard-normal' | 'pixels-raw';

function deepStack(
  width: number,
  act: ActivationIdentifier,
  kernel: Kernel,
  dropout: 'none' | 'dropout' | 'alpha',
  inputDim: number,
): Sequential {
  const layers: Layer[] = [];
  for (let i = 0; i < 100; i++) {
    layers.push(new Dense(width, { activation: act, kernelInitializer: kernel }));
    if (dropout === 'dropout') layers.push(new Dropout(0.1));
    else if (dropout === 'alpha') layers.push(new AlphaDropout(0.1));
  }
  const m = new Sequential(layers);
  m.build([inputDim]);
  return m;
}

function inputs(kind: InputKind, batch: number, dim: number): Tensor {
  if (kind === 'standard-normal') return gaussian(batch, dim, new Random(11));
  const raw = loadFashionMnist({ split: 'train', limit: batch, scale: false });
  return new Tensor(raw.x, [batch, 784]);
}

function depthStats(
  key: string,
  label: string,
  width: number,
  batch: number,
  act: ActivationIdentifier,
  kernel: Kernel,
  dropout: 'none' | 'dropout' | 'alpha',
  input: InputKind,
): DepthStatsRow {
  setSeed(3);
  const dim = input === 'pixels-raw' ? 784 : width;
  const model = deepStack(width, act, kernel, dropout, dim);
  // Dense outputs only (after dropout when present: take the layer that closes each block).
  const all = forwardMoments(model, inputs(input, batch, dim), dropout !== 'none');
  const perBlock = dropout === 'none' ? all : all.filter((_, i) => i % 2 === 1);
  return { key, label, width, at: REPORT_LAYERS.map((l) => ({ layer: l, moments: perBlock[l - 1]!.moments })) };
}

function dropoutOnSelu(alpha: boolean, n: number): DropoutRow {
  const x = seluFn(gaussian(n, 1, new Random(5)));
  const d = alpha ? new AlphaDropout(0.1, { seed: 9 }) : new Dropout(0.1, { seed: 9 });
  const m = moments(d.apply(x, { training: true }).data);
  return { layer: d.className, alpha, mean: m.mean, variance: m.std ** 2 };
}

/** Mean |Δ loss| between consecutive batches over mean loss: how jagged a training curve is (Fig. 1's "fluctuations").
 * */
function roughness(losses: readonly number[]): number {
  let d = 0;
  for (let i = 1; i < losses.length; i++) d += Math.abs(losses[i]! - losses[i - 1]!);
  return d / (losses.length - 1) / (losses.reduce((s, v) => s + v, 0) / losses.length);
}

export async function runSelu2017(opts: ExperimentOptions): Promise<{ markdown: string; results: SeluResults }> {
  const started = Date.now();
  const q = opts.quick;
  const params = solveFixedPointParams();
  const [m0, v0] = seluMap(0, 1, params);
  const h = 1e-6;
  const jacobian = {
    dNuDNu: (seluMap(0, 1 + h, params)[1] - seluMap(0, 1 - h, params)[1]) / (2 * h),
    dMuDNu: (seluMap(0, 1 + h, params)[0] - seluMap(0, 1 - h, params)[0]) / (2 * h),
  };
  const iterates = [0.1, 3, 10].map((nu0) => ({ nu0, nu30: iterateVariance(nu0, 30, params).at(-1)! }));
  opts.log(
    `selu2017 map: α01 ${params.alpha}, λ01 ${params.lambda}, |g(0,1) − (0,1)| ` +
      `${Math.max(Math.abs(m0), Math.abs(v0 - 1)).toExponential(1)}`,
  );
  const batch = q ? 256 : 1000;
  const depth: DepthStatsRow[] = [];
  const add = (row: DepthStatsRow) => {
    depth.push(row);
    opts.log(
      `selu2017 100 layers ${row.label}: layer 100 mean ${fixed(row.at[3]!.moments.mean)}, std ` +
        `${fixed(row.at[3]!.moments.std)}`,
    );
  };
  add(depthStats('selu-lecun', 'SELU + lecun_normal', 100, batch, 'selu', 'lecun_normal', 'none', 'standard-normal'));
  add(depthStats('selu-he', 'SELU + he_normal', 100, batch, 'selu', 'he_normal', 'none', 'standard-normal'));
  add(
    depthStats(
      'selu-alphadropout',
      'SELU + lecun_normal + AlphaDropout(0.1) (training mode)',
      100,
      batch,
      'selu',
      'lecun_normal',
      'alpha',
      'standard-normal',
    ),
  );
  add(
    depthStats(
      'selu-dropout',
      'SELU + lecun_normal + Dropout(0.1) (training mode)',
      100,
      batch,
      'selu',
      'lecun_normal',
      'dropout',
      'standard-normal',
    ),
  );
  add(
    depthStats(
      'selu-raw-pixels',
      'SELU + lecun_normal, raw pixels 0..255 (unstandardized)',
      100,
      batch,
      'selu',
      'lecun_normal',
      'none',
      'pixels-raw',
    ),
  );
  add(depthStats('tanh-lecun', 'tanh + lecun_normal', 100, batch, 'tanh', 'lecun_normal', 'none', 'standard-normal'));
  if (!q)
    add(
      depthStats(
        'selu-lecun-1000',
        'SELU + lecun_normal, width 1000',
        1000,
        256,
        'selu',
        'lecun_normal',
        'none',
        'standard-normal',
      ),
    );
  const dropout = [true, false].map((alpha) => dropoutOnSelu(alpha, q ? 200_000 : 1_000_000));
  opts.log(
    `selu2017 dropout on SELU(N(0,1)): ` +
      `${dropout.map((d) => `${d.layer} mean ${fixed(d.mean)}, var ${fixed(d.variance)}`).join('; ')}`,
  );
  // S4: teacher task, 30 layers, SGD(0.01), 600 steps.
  const data = teacherData(0);
  const teacher: TrainRow[] = [];
  for (const seed of q ? [0] : [0, 1, 2, 3]) {
    for (const [key, block] of [
      ['selu-lecun', denseBlock(64, 'selu', 'lecun_normal')],
      ['relu-he', denseBlock(64, 'relu', 'he_normal')],
    ] as const) {
      const t0 = Date.now();
      setSeed(seed);
      const run = trainSteps(
        compileClassifier(mlp({ inputDim: 32, depth: 30, block, classes: 4 }), new SGD({ learningRate: 0.01 })),
        data,
        { steps: q ? 300 : 600, seed },
      );
      teacher.push({
        key,
        seed,
        depth: 30,
        finalLoss: run.finalLoss,
        valAccuracy: run.valAccuracy,
        roughness: roughness(run.batchLosses),
        curve: [],
      });
      opts.log(
        `selu2017 teacher 30 layers ${key} seed ${seed}: loss → ${fixed(run.finalLoss)}, val acc ` +
          `${fixed(run.valAccuracy)} (${seconds(t0)})`,
      );
    }
  }
  const fashion: TrainRow[] = [];
  if (!q) {
    const fd = fashionData({ train: 10000, heldOut: 4000, standardize: true });
    for (const d of [8, 32]) {
      for (const [key, block] of [
        ['snn', denseBlock(100, 'selu', 'lecun_normal')],
        ['relu-bn', bnBeforeBlock(100, 'relu', 'he_normal')],
      ] as const) {
        setSeed(1);
        const model = compileClassifier(
          mlp({ inputDim: 784, depth: d, block, classes: 10 }),
          new SGD({ learningRate: 0.01 }),
        );
        const run = await fitEpochs(model, fd.train, fd.validation, { epochs: 8, batchSize: 128 });
        fashion.push({
          key,
          seed: 1,
          depth: d,
          finalLoss: run.trainLoss.at(-1)!,
          valAccuracy: run.valAccuracy.at(-1)!,
          roughness: roughness(run.batchLosses),
          curve: run.trainLoss,
        });
        opts.log(
          `selu2017 fashion ${key} depth ${d}: train loss ${run.trainLoss.map((l) => fixed(l)).join(' → ')}, val ` +
            `acc ${fixed(run.valAccuracy.at(-1)!)}, roughness ${fixed(roughness(run.batchLosses))} (` +
            `${run.seconds.toFixed(1)} s)`,
        );
      }
    }
  }
  const results: SeluResults = {
    params,
    fixedPointResidual: Math.max(Math.abs(m0), Math.abs(v0 - 1)),
    iterates,
    jacobian,
    depthStats: depth,
    dropout,
    teacher,
    fashion,
  };
  return { markdown: seluReport(results, { quick: q, took: seconds(started), batch }), results };
}

export const selu2017: Experiment<SeluResults> = {
  name: 'selu2017',
  title: 'Klambauer et al. 2017: self-normalizing networks',
  run: runSelu2017,
};
