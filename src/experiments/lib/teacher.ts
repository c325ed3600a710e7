/**
 * The teacher task (paper-results.md §0) and the step-based SGD loop its [ours]
 * numbers used: mini-batches of 64 drawn WITH replacement, a fixed number of steps.
 */
import { NonFiniteTrainingError } from '../../nn/training.js';
import { Tensor } from '../../tensor/tensor.js';
import { Random } from '../../tensor/rng.js';
import { teacherTask } from '../../data/synthetic.js';
import type { Sequential } from '../../nn/model.js';

export interface TensorSplit {
  x: Tensor;
  y: Tensor;
}
export interface TeacherData {
  train: TensorSplit;
  validation: TensorSplit;
  inputDim: number;
  classes: number;
}

/** 3000 train / 1000 validation rows, 32 features, 4 classes (majority class 30.2%). */
export function teacherData(seed = 0): TeacherData {
  const t = teacherTask({ seed });
  const split = (d: typeof t.train): TensorSplit => ({
    x: new Tensor(d.x, [d.numExamples, 32]),
    y: new Tensor(d.y, [d.numExamples]),
  });
  return { train: split(t.train), validation: split(t.validation), inputDim: 32, classes: 4 };
}

export interface StepRun {
  /** Loss of each training batch. */
  batchLosses: number[];
  /** Full training-set loss before and after training (inference mode). */
  initialLoss: number;
  finalLoss: number;
  valAccuracy: number;
  /** True when training stopped on a non-finite loss. */
  diverged: boolean;
}

export interface StepOptions {
  steps: number;
  batchSize?: number;
  seed: number;
  onStep?: (step: number, loss: number) => void;
}

/** Trains a compiled model for `steps` batches sampled with replacement from `data.train`. */
export function trainSteps(model: Sequential, data: TeacherData, opts: StepOptions): StepRun {
  const batch = opts.batchSize ?? 64;
  const { x, y } = data.train;
  const n = x.shape[0]!,
    w = x.size / n;
  const rng = new Random(opts.seed + 7919);
  const xb = new Float32Array(batch * w),
    yb = new Float32Array(batch);
  const initialLoss = evaluateLoss(model, data.train);
  const batchLosses: number[] = [];
  let diverged = false;
  for (let s = 0; s < opts.steps; s++) {
    for (let r = 0; r < batch; r++) {
      const i = Math.floor(rng.uniform() * n);
      xb.set(x.data.subarray(i * w, (i + 1) * w), r * w);
      yb[r] = y.data[i]!;
    }
    let loss: number;
    try {
      loss = model.trainOnBatch(new Tensor(xb, [batch, w]), new Tensor(yb, [batch])).loss!;
    } catch (e) {
      // trainOnBatch stops (and keeps the last finite weights) when the loss or an update is NaN/Inf.
      if (!(e instanceof NonFiniteTrainingError)) throw e;
      loss = NaN;
    }
    batchLosses.push(loss);
    opts.onStep?.(s, loss);
    if (!Number.isFinite(loss)) {
      diverged = true;
      break;
    }
  }
  const finalLoss = diverged ? NaN : evaluateLoss(model, data.train);
  const valAccuracy = diverged
    ? NaN
    : model.evaluate(data.validation.x, data.validation.y, { batchSize: 1000 }).accuracy!;
  return { batchLosses, initialLoss, finalLoss, valAccuracy, diverged: diverged || !Number.isFinite(finalLoss) };
}

function evaluateLoss(model: Sequential, split: TensorSplit): number {
  return model.evaluate(split.x, split.y, { batchSize: 1000 }).loss!;
}

/** Averages of consecutive windows (for plotting noisy batch losses). */
export function smooth(values: readonly number[], window: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += window) {
    const w = values.slice(i, i + window);
    out.push(w.reduce((s, v) => s + v, 0) / w.length);
  }
  return out;
}
