/**
 * Géron, Hands-On Machine Learning, ch. 11, exercise 8, adapted to
 * Fashion-MNIST: 20 hidden layers of 100 units, Nadam and early stopping;
 * (b) He + ELU, (c) + BatchNormalization, (d) SELU with standardized inputs,
 * (e) + AlphaDropout, (f) MC AlphaDropout at inference — accuracy and calibration.
 */
import { setSeed } from '../tensor/rng.js';
import { Nadam } from '../nn/optimizers/index.js';
import { BatchNormalization } from '../nn/layers/batch-normalization.js';
import { AlphaDropout } from '../nn/layers/alpha-dropout.js';
import { EarlyStopping } from '../nn/callbacks.js';
import type { Sequential } from '../nn/model.js';
import { mlp, denseBlock, bnBeforeBlock, type MlpSpec } from './lib/mlp.js';
import { teacherData, type TensorSplit } from './lib/teacher.js';
import { fashionData } from './lib/fashion.js';
import { compileClassifier, fitEpochs } from './lib/fit.js';
import { calibration, type Calibration } from './lib/calibration.js';
import { mcPredict } from './lib/mc-dropout.js';
import { seconds } from './lib/format.js';
import { handsonReport } from './handson-ch11-report.js';
import type { Experiment, ExperimentOptions } from './types.js';

export type StepKey = 'b-elu-he' | 'c-bn' | 'd-selu' | 'e-alpha-dropout';
interface Step {
  key: StepKey;
  label: string;
  lr: number;
  standardized: boolean;
  spec: (inputDim: number, classes: number, width: number) => MlpSpec;
}

const DEPTH = 20;
export const STEPS: readonly Step[] = [
  {
    key: 'b-elu-he',
    label: '(b) he_normal + ELU',
    lr: 5e-4,
    standardized: false,
    spec: (d, k, w) => ({ inputDim: d, classes: k, depth: DEPTH, block: denseBlock(w, 'elu', 'he_normal') }),
  },
  {
    key: 'c-bn',
    label: '(c) + BatchNormalization (input, and before each ELU)',
    lr: 5e-4,
    standardized: false,
    spec: (d, k, w) => ({
      inputDim: d,
      classes: k,
      depth: DEPTH,
      head: [new BatchNormalization()],
      block: bnBeforeBlock(w, 'elu', 'he_normal'),
    }),
  },
  {
    key: 'd-selu',
    label: '(d) SELU + lecun_normal, standardized inputs',
    lr: 7e-4,
    standardized: true,
    spec: (d, k, w) => ({ inputDim: d, classes: k, depth: DEPTH, block: denseBlock(w, 'selu', 'lecun_normal') }),
  },
  {
    key: 'e-alpha-dropout',
    label: '(e) (d) + AlphaDropout(0.1) before the output',
    lr: 5e-4,
    standardized: true,
    spec: (d, k, w) => ({
      inputDim: d,
      classes: k,
      depth: DEPTH,
      block: denseBlock(w, 'selu', 'lecun_normal'),
      tail: [new AlphaDropout(0.1)],
    }),
  },
];

export interface StepRow {
  key: StepKey;
  label: string;
  lr: number;
  epochsRun: number;
  bestEpoch: number;
  bestValAccuracy: number;
  trainLoss: number[];
  valAccuracy: number[];
  secondsPerEpoch: number;
  test: Calibration;
}
export interface McRow {
  samples: number;
  test: Calibration;
  deterministic: Calibration;
  meanStd: number;
  agreement: number;
  probabilitySumError: number;
}
export interface HandsonResults {
  steps: StepRow[];
  mc: McRow;
  scale: Scale;
}
export interface Scale {
  data: 'fashion-mnist' | 'teacher';
  width: number;
  train: number;
  maxEpochs: number;
  patience: number;
  mcSamples: number;
  batch: number;
}

function argmaxAgreement(a: Float32Array, b: Float32Array, k: number): number {
  let same = 0;
  const n = a.length / k;
  const arg = (p: Float32Array, i: number) => {
    let m = 0;
    for (let c = 1; c < k; c++) if (p[i * k + c]! > p[i * k + m]!) m = c;
    return m;
  };
  for (let i = 0; i < n; i++) if (arg(a, i) === arg(b, i)) same++;
  return same / n;
}

export async function runHandsonCh11(opts: ExperimentOptions): Promise<{ markdown: string; results: HandsonResults }> {
  const started = Date.now();
  const q = opts.quick;
  const scale: Scale = q
    ? { data: 'teacher', width: 64, train: 3000, maxEpochs: 3, patience: 3, mcSamples: 10, batch: 32 }
    : { data: 'fashion-mnist', width: 100, train: 10000, maxEpochs: 20, patience: 4, mcSamples: 10, batch: 32 };
  const load = (
    standardized: boolean,
  ): { train: TensorSplit; validation: TensorSplit; test: TensorSplit; inputDim: number; classes: number } => {
    if (!q) return fashionData({ train: scale.train, heldOut: 5000, standardize: standardized });
    const t = teacherData(0); // already standardized N(0, 1) features; validation doubles as test
    return { ...t, test: t.validation };
  };
  const rows: StepRow[] = [];
  let lastModel: Sequential | null = null;
  let lastTest: TensorSplit | null = null;
  for (const step of STEPS) {
    const d = load(step.standardized);
    setSeed(42);
    const model = compileClassifier(
      mlp(step.spec(d.inputDim, d.classes, scale.width)),
      new Nadam({ learningRate: step.lr }),
    );
    const stopper = new EarlyStopping({ monitor: 'val_loss', patience: scale.patience, restoreBestWeights: true });
    const run = await fitEpochs(model, d.train, d.validation, {
      epochs: scale.maxEpochs,
      batchSize: scale.batch,
      callbacks: [stopper],
    });
    const probs = model.predict(d.test.x, { batchSize: 500 });
    const bestEpoch = run.valAccuracy.length ? run.valLoss.indexOf(Math.min(...run.valLoss)) : 0;
    const row: StepRow = {
      key: step.key,
      label: step.label,
      lr: step.lr,
      epochsRun: run.epochs,
      bestEpoch: bestEpoch + 1,
      bestValAccuracy: run.valAccuracy[bestEpoch] ?? NaN,
      trainLoss: run.trainLoss,
      valAccuracy: run.valAccuracy,
      secondsPerEpoch: run.seconds / Math.max(1, run.epochs),
      test: calibration(probs, d.test.y),
    };
    rows.push(row);
    opts.log(
      `handson-ch11 ${step.label}: ${run.epochs} epochs, best val acc ${(row.bestValAccuracy * 100).toFixed(1)}% ` +
        `at epoch ${row.bestEpoch}, test acc ${(row.test.accuracy * 100).toFixed(1)}%, ECE ` +
        `${row.test.ece.toFixed(3)} (${run.seconds.toFixed(1)} s)`,
    );
    lastModel = model;
    lastTest = d.test;
  }
  // (f) MC AlphaDropout on (e), no retraining.
  const model = lastModel!,
    test = lastTest!;
  const det = model.predict(test.x, { batchSize: 500 });
  const mc = mcPredict(model, test.x, scale.mcSamples);
  const k = det.shape[1]!;
  let sumErr = 0;
  for (let i = 0; i < test.y.size; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += mc.mean.data[i * k + c]!;
    sumErr = Math.max(sumErr, Math.abs(s - 1));
  }
  const mcRow: McRow = {
    samples: scale.mcSamples,
    test: calibration(mc.mean, test.y),
    deterministic: calibration(det, test.y),
    meanStd: mc.meanStd,
    agreement: argmaxAgreement(mc.mean.data, det.data, k),
    probabilitySumError: sumErr,
  };
  opts.log(
    `handson-ch11 (f) MC AlphaDropout, ${scale.mcSamples} samples: test acc ` +
      `${(mcRow.test.accuracy * 100).toFixed(1)}% vs ${(mcRow.deterministic.accuracy * 100).toFixed(1)}%, NLL ` +
      `${mcRow.test.nll.toFixed(3)} vs ${mcRow.deterministic.nll.toFixed(3)}, ECE ${mcRow.test.ece.toFixed(3)} vs ` +
      `${mcRow.deterministic.ece.toFixed(3)}`,
  );
  const results: HandsonResults = { steps: rows, mc: mcRow, scale };
  return { markdown: handsonReport(results, { quick: q, took: seconds(started) }), results };
}

export const handsonCh11: Experiment<HandsonResults> = {
  name: 'handson-ch11',
  title: 'Géron ch. 11 exercise on Fashion-MNIST',
  run: runHandsonCh11,
};
