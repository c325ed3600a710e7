/**
 * Glorot & Bengio (2010), "Understanding the difficulty of training deep
 * feedforward neural networks": standard U[−1/√n, 1/√n] vs normalized
 * U[±√6/√(n_in+n_out)] initialization — per-layer activation and back-propagated
 * gradient statistics at initialization, and training of sigmoid/tanh/softsign nets.
 */
import { RandomUniform } from '../nn/initializers/index.js';
import { SGD } from '../nn/optimizers/index.js';
import { setSeed } from '../tensor/rng.js';
import type { ActivationIdentifier } from '../nn/activations.js';
import { stackStats, type StackStats } from './lib/init-stats.js';
import { mlp, denseBlock, type Kernel } from './lib/mlp.js';
import { teacherData, trainSteps } from './lib/teacher.js';
import { fashionData } from './lib/fashion.js';
import { compileClassifier, fitEpochs } from './lib/fit.js';
import { fixed, pct, seconds } from './lib/format.js';
import type { Experiment, ExperimentOptions } from './types.js';
import { glorotReport } from './glorot2010-report.js';

export type InitName = 'standard' | 'normalized';
/** Standard: U[−1/√n, 1/√n] with n the fan-in, Var = 1/(3n) (Glorot & Bengio eq. 1). Normalized: glorot_uniform
 * (eq. 16). */
export function initOf(name: InitName, fanIn: number): Kernel {
  return name === 'standard'
    ? new RandomUniform({ minval: -1 / Math.sqrt(fanIn), maxval: 1 / Math.sqrt(fanIn) })
    : 'glorot_uniform';
}

export interface InitStatsRow {
  activation: ActivationIdentifier;
  init: InitName;
  stats: StackStats;
  gradRatio: number;
}
export interface TeacherRow {
  init: InitName;
  seed: number;
  initialLoss: number;
  finalLoss: number;
  valAccuracy: number;
}
export interface FashionRow {
  activation: ActivationIdentifier;
  init: InitName;
  testError: number;
  valAccuracy: number[];
}
export interface GlorotResults {
  width: number;
  initStats: InitStatsRow[];
  teacher: TeacherRow[];
  fashion: FashionRow[];
}

const ACTIVATIONS: ActivationIdentifier[] = ['tanh', 'softsign', 'sigmoid'];
const INITS: InitName[] = ['standard', 'normalized'];

export async function runGlorot2010(opts: ExperimentOptions): Promise<{ markdown: string; results: GlorotResults }> {
  const started = Date.now();
  const scale = opts.quick
    ? { width: 256, inputDim: 256, batch: 256, seeds: [0], fashion: null }
    : {
        width: 1000,
        inputDim: 1024,
        batch: 500,
        seeds: [0, 1, 2],
        fashion: { train: 10000, heldOut: 5000, width: 256, epochs: 2, batch: 10, lr: 0.01 },
      };
  const initStats: InitStatsRow[] = [];
  for (const activation of ACTIVATIONS) {
    for (const init of INITS) {
      if (opts.quick && activation !== 'tanh') continue;
      const stats = stackStats({
        inputDim: scale.inputDim,
        width: scale.width,
        depth: 5,
        activation,
        batch: scale.batch,
        seed: 0,
        kernel: (i) => initOf(init, i === 0 ? scale.inputDim : scale.width),
      });
      const row = { activation, init, stats, gradRatio: stats.gradStd[0]! / stats.gradStd[4]! };
      initStats.push(row);
      opts.log(
        `glorot2010 init stats ${activation} ${init}: activation std layer 5 ${fixed(stats.activationStd[4]!)}, ` +
          `grad std layer1/layer5 ${fixed(row.gradRatio)}`,
      );
    }
  }
  // G2: teacher task, 10 × Dense(64, tanh), SGD(0.01), 600 steps.
  const data = teacherData(0);
  const teacher: TeacherRow[] = [];
  for (const init of INITS) {
    for (const seed of scale.seeds) {
      const t0 = Date.now();
      setSeed(seed);
      const model = compileClassifier(
        mlp({ inputDim: 32, depth: 10, block: denseBlock(64, 'tanh', initOf(init, 64)), classes: 4 }),
        new SGD({ learningRate: 0.01 }),
      );
      // (The first layer's fan-in is 32, not 64: rebuild its kernel with the right bound.)
      if (init === 'standard')
        model.layers[0]!.weights[0]!.assign(
          new RandomUniform({ minval: -1 / Math.sqrt(32), maxval: 1 / Math.sqrt(32) }).sample([32, 64]),
        );
      const run = trainSteps(model, data, { steps: 600, seed });
      teacher.push({
        init,
        seed,
        initialLoss: run.initialLoss,
        finalLoss: run.finalLoss,
        valAccuracy: run.valAccuracy,
      });
      opts.log(
        `glorot2010 teacher tanh×10 ${init} seed ${seed}: loss ${fixed(run.initialLoss)} → ${fixed(run.finalLoss)}` +
          `, val acc ${fixed(run.valAccuracy)} (${seconds(t0)})`,
      );
    }
  }
  const fashion: FashionRow[] = [];
  if (scale.fashion !== null) {
    const f = scale.fashion;
    const fd = fashionData({ train: f.train, heldOut: f.heldOut, standardize: false });
    for (const activation of ACTIVATIONS) {
      for (const init of INITS) {
        const t0 = Date.now();
        setSeed(7);
        const model = mlp({
          inputDim: 784,
          depth: 5,
          classes: 10,
          block: (i) => denseBlock(f.width, activation, initOf(init, i === 0 ? 784 : f.width))(i),
        });
        compileClassifier(model, new SGD({ learningRate: f.lr }));
        const run = await fitEpochs(model, fd.train, fd.validation, { epochs: f.epochs, batchSize: f.batch });
        const testError = 1 - model.evaluate(fd.test.x, fd.test.y, { batchSize: 500 }).accuracy!;
        fashion.push({ activation, init, testError, valAccuracy: run.valAccuracy });
        opts.log(`glorot2010 fashion ${activation} ${init}: test error ${pct(testError, 2)} (${seconds(t0)})`);
      }
    }
  }
  const results: GlorotResults = { width: scale.width, initStats, teacher, fashion };
  return {
    markdown: glorotReport(results, { quick: opts.quick, took: seconds(started), fashion: scale.fashion }),
    results,
  };
}

export const glorot2010: Experiment<GlorotResults> = {
  name: 'glorot2010',
  title: 'Glorot & Bengio 2010: standard vs normalized initialization',
  run: runGlorot2010,
};
