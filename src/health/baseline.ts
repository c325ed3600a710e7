/**
 * Chance and trivial baselines, and the held-out verdict: is the network doing better than a model that ignores
 * its inputs? For K classes the trivial model predicts the training class frequencies (its cross-entropy is their
 * entropy, at most ln K: chance); for regression it predicts the training mean (its mean squared error is the
 * variance of the targets). The held-out numbers are measured in inference mode (no dropout, BatchNormalization on
 * its moving statistics), on examples the network did not train on.
 *
 * @example baselineOf('sparse_categorical_crossentropy', yTrain, yVal, 4).loss // ≈ ln 4 for balanced classes
 */
import * as losses from '../nn/losses.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Model } from '../nn/functional.js';

export type Task = 'classification' | 'binary' | 'regression';

export interface Baseline {
  task: Task;
  /** The loss of the trivial model (class frequencies / the training mean) on the validation targets. */
  loss: number;
  /** Chance: ln K for K classes, ln 2 for a binary target, the targets' variance for mean squared error. */
  chance: number;
  /** Classification: the accuracy of always answering the most frequent training class. */
  accuracy: number | null;
  numClasses: number | null;
}

export interface HeldOut {
  /** Loss and accuracy (classification) on the validation split, in inference mode. */
  loss: number;
  accuracy: number | null;
  examples: number;
  baseline: Baseline;
  /** loss / baseline loss: 1 is no better than ignoring the inputs, 0 is perfect. */
  lossRatio: number;
  /** The network does no better than the trivial baseline (see `atChance`). */
  atChance: boolean;
  /** Models with BatchNormalization: the same data judged with batch statistics (training mode). */
  batchStatistics?: { loss: number; accuracy: number | null };
}

/** The task a loss implies (by its Keras name). */
export function taskOf(lossName: string): Task {
  if (lossName.includes('binary')) return 'binary';
  if (lossName.includes('categorical')) return 'classification';
  return 'regression';
}

const EPS = 1e-7;

/** The trivial baseline of a loss on validation targets, fitted on the training targets. */
export function baselineOf(lossName: string, yTrain: Float32Array, yVal: Float32Array, numClasses: number): Baseline {
  const task = taskOf(lossName);
  if (task === 'regression') {
    let mean = 0;
    for (const t of yTrain) mean += t / yTrain.length;
    let sq = 0,
      vm = 0;
    for (const t of yVal) vm += t / yVal.length;
    let chance = 0;
    for (const t of yVal) {
      sq += (t - mean) ** 2 / yVal.length;
      chance += (t - vm) ** 2 / yVal.length;
    }
    return { task, loss: sq, chance, accuracy: null, numClasses: null };
  }
  const k = task === 'binary' ? 2 : Math.max(2, numClasses);
  const counts = new Float64Array(k);
  for (const t of yTrain) counts[Math.min(k - 1, Math.max(0, Math.round(t)))]! += 1;
  const p = Array.from(counts, (c) => Math.max(EPS, c / yTrain.length));
  let loss = 0;
  let majority = 0;
  const best = p.indexOf(Math.max(...p));
  for (const t of yVal) {
    const c = Math.min(k - 1, Math.max(0, Math.round(t)));
    loss -= Math.log(p[c]!) / yVal.length;
    if (c === best) majority += 1 / yVal.length;
  }
  return { task, loss, chance: Math.log(k), accuracy: majority, numClasses: k };
}

/**
 * At chance: the held-out loss is within 5% of the trivial baseline's, and (classification) the accuracy is
 * within a tenth of the remaining gap of the majority-class accuracy. [ours]
 */
export function atChance(loss: number, accuracy: number | null, b: Baseline): boolean {
  if (!Number.isFinite(loss)) return true;
  const lossAtChance = loss >= 0.95 * b.loss;
  if (b.accuracy === null || accuracy === null) return lossAtChance;
  const accAtChance = accuracy <= b.accuracy + 0.1 * (1 - b.accuracy);
  return accAtChance && (lossAtChance || accuracy <= b.accuracy + 0.02);
}

/** Accuracy of predictions (argmax; one unit: > 0.5) against integer class targets; null for regression. */
export function accuracyOf(pred: Tensor, y: Float32Array, task: Task): number | null {
  if (task === 'regression') return null;
  const n = y.length;
  const units = pred.size / Math.max(1, n);
  let right = 0;
  for (let i = 0; i < n; i++) {
    let cls: number;
    if (units === 1) cls = pred.data[i]! > 0.5 ? 1 : 0;
    else {
      cls = 0;
      for (let u = 1; u < units; u++) if (pred.data[i * units + u]! > pred.data[i * units + cls]!) cls = u;
    }
    if (!Number.isFinite(pred.data[i * units + cls]!)) continue;
    if (cls === Math.round(y[i]!)) right++;
  }
  return right / Math.max(1, n);
}

/** Held-out loss and accuracy of a compiled model, in inference mode, against the trivial baseline. */
export function evaluateHeldOut(
  model: Model,
  lossName: string,
  data: { xVal: Tensor; yVal: Tensor; yTrain: Float32Array; numClasses: number; fromLogits?: boolean },
): HeldOut {
  const baseline = baselineOf(lossName, data.yTrain, data.yVal.data, data.numClasses);
  let loss = NaN,
    accuracy: number | null = null;
  try {
    loss = model.evaluate(data.xVal, data.yVal, { batchSize: 256 }).loss ?? NaN;
    const pred = model.predictAll([data.xVal], { batchSize: 256 })[0]!;
    accuracy = accuracyOf(pred, data.yVal.data, baseline.task);
  } catch {
    loss = NaN;
  }
  const lossRatio = Number.isFinite(loss) ? loss / Math.max(EPS, baseline.loss) : Infinity;
  let chance = atChance(loss, accuracy, baseline);
  let batchStatistics: { loss: number; accuracy: number | null } | undefined;
  // BatchNormalization's moving statistics lag its batch statistics for the first few hundred steps (momentum
  // 0.99): a short trial judges such a model with batch statistics too, and counts it as learning if they do.
  if (chance && model.layers.some((l) => l.doctorFacts().role === 'batch_normalization')) {
    try {
      const pred = model.run([data.xVal], { training: true })[0]!;
      const l = losses.get(lossName, data.fromLogits ?? false)(data.yVal, pred).data[0]!;
      batchStatistics = { loss: l, accuracy: accuracyOf(pred, data.yVal.data, baseline.task) };
      if (!atChance(l, batchStatistics.accuracy, baseline)) chance = false;
    } catch {
      batchStatistics = undefined;
    }
  }
  return {
    loss,
    accuracy,
    examples: data.yVal.shape[0] ?? 0,
    baseline,
    lossRatio: chance || batchStatistics === undefined ? lossRatio : batchStatistics.loss / baseline.loss,
    atChance: chance,
    ...(batchStatistics !== undefined ? { batchStatistics } : {}),
  };
}

/** The loss function's Keras name for a compile spec's loss. */
export function lossNameOf(loss: string): string {
  try {
    return losses.get(loss).lossName;
  } catch {
    return loss;
  }
}
