/**
 * Gradient clipping (Pascanu, Mikolov & Bengio 2013): a network pushed into
 * exploding gradients by a large learning rate (or a large init), rescued by
 * clipnorm (per variable), clipvalue (per element) and global_clipnorm (all
 * gradients jointly, the paper's Algorithm 1), and how the three differ.
 */
import { Tensor } from '../tensor/tensor.js';
import { Random, setSeed } from '../tensor/rng.js';
import { Variable } from '../autograd/variable.js';
import { valueAndGrads } from '../autograd/value-and-grads.js';
import { matmul, mul, sum } from '../ops/index.js';
import { Orthogonal, RandomNormal } from '../nn/initializers/index.js';
import { SGD, type SGDArgs } from '../nn/optimizers/index.js';
import { get as getLoss } from '../nn/losses.js';
import { mlp, denseBlock, type Block } from './lib/mlp.js';
import { teacherData, trainSteps, smooth } from './lib/teacher.js';
import { compileClassifier } from './lib/fit.js';
import { clipped, cosine, globalNorm } from './lib/clip-effect.js';
import { l2 } from './lib/stats.js';
import { gaussian } from './lib/probe.js';
import { seconds } from './lib/format.js';
import { clippingReport } from './clipping-report.js';
import type { Experiment, ExperimentOptions } from './types.js';

export type Clip = Pick<SGDArgs, 'clipnorm' | 'clipvalue' | 'globalClipnorm'>;
export const CLIPS: { key: string; clip: Clip }[] = [
  { key: 'none', clip: {} },
  { key: 'clipnorm 1', clip: { clipnorm: 1 } },
  { key: 'clipvalue 0.5', clip: { clipvalue: 0.5 } },
  { key: 'clipvalue 0.1', clip: { clipvalue: 0.1 } },
  { key: 'global_clipnorm 1', clip: { globalClipnorm: 1 } },
];

export interface TrainRow {
  scenario: string;
  clip: string;
  seed: number;
  initialLoss: number;
  finalLoss: number;
  valAccuracy: number;
  diverged: boolean;
  curve: number[];
}
export interface DirectionRow {
  clip: string;
  norm: number;
  cosine: number;
  firstOverLast: number;
}
export interface ClippingResults {
  training: TrainRow[];
  direction: DirectionRow[];
  recurrence: { steps: number; radius: number; gradNorm: number; clippedNorm: number };
}

interface Scenario {
  key: string;
  block: Block;
  lr: number;
}
const TANH_LR1: Scenario = {
  key: '10 × tanh, glorot, SGD lr 1.0',
  block: denseBlock(64, 'tanh', 'glorot_uniform'),
  lr: 1.0,
};
const RELU_BIG_INIT: Scenario = {
  key: '10 × relu, N(0,1) init, SGD lr 0.01',
  block: denseBlock(64, 'relu', new RandomNormal({ stddev: 1 })),
  lr: 0.01,
};

/** Gradients of one batch through the large-init ReLU net: per-variable vs global clipping of the same gradients. */
function directions(): DirectionRow[] {
  setSeed(0);
  const model = mlp({
    inputDim: 32,
    depth: 10,
    block: denseBlock(64, 'relu', new RandomNormal({ stddev: 1, seed: 1 })),
    classes: 4,
  });
  const data = teacherData(0);
  const x = new Tensor(data.train.x.data.subarray(0, 64 * 32), [64, 32]),
    y = new Tensor(data.train.y.data.subarray(0, 64), [64]);
  const vars = model.trainableWeights;
  const loss = getLoss('sparse_categorical_crossentropy');
  const raw = valueAndGrads(() => loss(y, model.apply(x, { training: true })), vars).grads.map((g) => g.data);
  const kernels = vars.map((v, i) => (v.name.endsWith('/kernel') ? i : -1)).filter((i) => i >= 0);
  return CLIPS.map(({ key, clip }) => {
    const g = key === 'none' ? raw : clipped(raw, clip);
    return {
      clip: key,
      norm: globalNorm(g),
      cosine: cosine(g, raw),
      firstOverLast: l2(g[kernels[0]!]!) / l2(g[kernels[kernels.length - 2]!]!),
    };
  });
}

/**
 * P3: h_t = W·h_{t−1} with W = 1.2·Q (Q orthogonal), 50 steps:
 * ‖∂(r·h₅₀)/∂h₀‖ = 1.2⁵⁰·‖r‖ ≈ 9100·‖r‖.
 */
function recurrence(): ClippingResults['recurrence'] {
  const n = 16,
    steps = 50,
    radius = 1.2;
  const q = new Orthogonal({ seed: 3 }).sample([n, n]);
  const w = new Tensor(
    q.data.map((v) => v * radius),
    [n, n],
  );
  const h0 = new Variable(gaussian(1, n, new Random(4)), { name: 'h0' });
  const r = gaussian(1, n, new Random(5));
  const rn = l2(r.data);
  const { grads } = valueAndGrads(() => {
    let h: Tensor = h0;
    for (let t = 0; t < steps; t++) h = matmul(h, w);
    return sum(
      mul(
        h,
        new Tensor(
          r.data.map((v) => v / rn),
          [1, n],
        ),
      ),
    );
  }, [h0]);
  const g = grads[0]!.data;
  return { steps, radius, gradNorm: l2(g), clippedNorm: l2(clipped([g], { globalClipnorm: 1 })[0]!) };
}

export async function runClipping(opts: ExperimentOptions): Promise<{ markdown: string; results: ClippingResults }> {
  const started = Date.now();
  const q = opts.quick;
  const data = teacherData(0);
  const training: TrainRow[] = [];
  const scenarios = q ? [TANH_LR1] : [TANH_LR1, RELU_BIG_INIT];
  for (const s of scenarios) {
    for (const { key, clip } of CLIPS) {
      if (q && key === 'clipvalue 0.1') continue;
      for (const seed of q || s === RELU_BIG_INIT ? [0] : [0, 1, 2]) {
        const t0 = Date.now();
        setSeed(seed);
        const model = compileClassifier(
          mlp({ inputDim: 32, depth: 10, block: s.block, classes: 4 }),
          new SGD({ learningRate: s.lr, ...clip }),
        );
        const run = trainSteps(model, data, { steps: 600, seed });
        training.push({
          scenario: s.key,
          clip: key,
          seed,
          initialLoss: run.initialLoss,
          finalLoss: run.finalLoss,
          valAccuracy: run.valAccuracy,
          diverged: run.diverged,
          curve: smooth(run.batchLosses, 20),
        });
        opts.log(
          `clipping ${s.key} ${key} seed ${seed}: loss ${run.initialLoss.toPrecision(3)} → ` +
            `${run.diverged ? 'NaN' : run.finalLoss.toPrecision(3)}, val acc ${run.valAccuracy.toFixed(3)} (` +
            `${seconds(t0)})`,
        );
      }
    }
  }
  const results: ClippingResults = { training, direction: directions(), recurrence: recurrence() };
  opts.log(
    `clipping recurrence: ‖∂C/∂h0‖ ${results.recurrence.gradNorm.toFixed(0)} (1.2^50 = ` +
      `${(1.2 ** 50).toFixed(0)}` +
      `), clipped ${results.recurrence.clippedNorm}`,
  );
  return {
    markdown: clippingReport(results, { quick: q, took: seconds(started), scenarios: scenarios.map((s) => s.key) }),
    results,
  };
}

export const clipping: Experiment<ClippingResults> = {
  name: 'clipping',
  title: 'Gradient clipping rescues an exploding network',
  run: runClipping,
};
