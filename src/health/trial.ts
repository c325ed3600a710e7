/**
 * A trial: build a run config's model, predict its variances, train it for a
 * fixed number of steps under the probe on all but a validation split of the
 * training data, then evaluate it on that split in inference mode against the
 * trivial baseline (chance), and report what was seen.
 */
import { buildModel, loadRunData, type RunConfig } from '../run-config/run-config.js';
import type { LoadedData } from '../run-config/data-spec.js';
import { Tensor } from '../tensor/tensor.js';
import type { Model } from '../nn/functional.js';
import type { Callback } from '../nn/callbacks.js';
import { GradientMonitor } from './probe.js';
import { StopAfterSteps } from './stop-after.js';
import { inputMomentsOf, predictVariances, type TheoryPrediction } from './theory.js';
import { predictThroughTime, type ThroughTimePrediction } from './through-time.js';
import { compareTheory, type StepZeroComparison } from './step-zero.js';
import { detectSymptoms } from './symptoms.js';
import { evaluateHeldOut, lossNameOf, type HeldOut } from './baseline.js';
import type { Finding, ProbeHistory, StepRecord } from './types.js';

export interface TrialOptions {
  /** Optimizer steps to train. */
  steps: number;
  /** Probe sampling interval. Default 5 (a trial is short, so it samples often). */
  every?: number;
  /** Called with each sampled record as training runs (live findings). */
  onRecord?: (record: StepRecord, history: ProbeHistory) => void;
  /** Further callbacks (e.g. a learning-rate range test's recorder). */
  callbacks?: Callback[];
}

export interface TrialResult {
  history: ProbeHistory;
  /** Mean batch loss over the last tenth of the steps (at least 5); NaN if training broke. */
  finalLoss: number;
  theory: TheoryPrediction;
  /** The recurrent layers' gradient growth or decay through time, predicted at initialization. */
  throughTime: ThroughTimePrediction[];
  stepZero: StepZeroComparison | null;
  /** Loss and accuracy on the validation split in inference mode, next to the trivial baseline (null: too few). */
  heldOut: HeldOut | null;
  symptoms: Finding[];
  seconds: number;
}

/** Training data split into what the trial trains on and what it validates on. */
export interface TrialData {
  x: Tensor;
  y: Tensor;
  xVal: Tensor | null;
  yVal: Tensor | null;
  inputShape: number[];
  numClasses: number;
  loaded: LoadedData;
}

const dataCache = new Map<string, TrialData>();

/** Fraction of the training set the trial validates on, and its bounds (examples). [ours] */
export const VALIDATION_FRACTION = 0.2;
const MIN_VALIDATION = 20;
const MAX_VALIDATION = 2000;

const rowsOf = (t: Tensor, from: number, to: number): Tensor => {
  const per = t.size / t.shape[0]!;
  return new Tensor(t.data.slice(from * per, to * per), [to - from, ...t.shape.slice(1)]);
};

/** The last examples of the (already shuffled) training set become the validation split, as in Keras. */
export function splitForTrial(loaded: LoadedData): TrialData {
  const n = loaded.x.shape[0]!;
  const k = Math.min(MAX_VALIDATION, Math.floor(n * VALIDATION_FRACTION));
  const base = { inputShape: loaded.inputShape, numClasses: loaded.numClasses, loaded };
  if (k < MIN_VALIDATION) return { x: loaded.x, y: loaded.y, xVal: null, yVal: null, ...base };
  return {
    x: rowsOf(loaded.x, 0, n - k),
    y: rowsOf(loaded.y, 0, n - k),
    xVal: rowsOf(loaded.x, n - k, n),
    yVal: rowsOf(loaded.y, n - k, n),
    ...base,
  };
}

/** Loads a config's data once per process (trials of repaired configs reuse it). */
export function trialData(config: RunConfig): TrialData {
  const key = JSON.stringify([config.data, config.baseDir]);
  let data = dataCache.get(key);
  if (data === undefined) {
    data = splitForTrial(loadRunData(config));
    dataCache.set(key, data);
  }
  return data;
}

function finalLossOf(losses: readonly number[]): number {
  if (losses.length === 0) return NaN;
  const w = Math.max(5, Math.floor(losses.length / 10));
  const tail = losses.slice(-w);
  if (tail.some((l) => !Number.isFinite(l))) return NaN;
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}

/** Held-out verdict of a trained model on a trial's validation split (null without one). */
export function heldOutOf(model: Model, lossName: string, data: TrialData, fromLogits = false): HeldOut | null {
  if (data.xVal === null || data.yVal === null) return null;
  return evaluateHeldOut(model, lossName, {
    xVal: data.xVal,
    yVal: data.yVal,
    yTrain: data.y.data,
    numClasses: data.numClasses,
    fromLogits,
  });
}

export async function runTrial(config: RunConfig, opts: TrialOptions): Promise<TrialResult> {
  const t0 = performance.now();
  const data = trialData(config);
  const model = buildModel(config, data.inputShape);
  return trainUnderProbe(model, data, lossNameOf(config.compile.loss), {
    ...opts,
    batchSize: config.fit.batch_size,
    shuffle: config.fit.shuffle ?? true,
    fromLogits: config.compile.from_logits ?? false,
    t0,
  });
}

/** Trains a compiled model for `steps` under the probe, then judges it on the held-out split. */
export async function trainUnderProbe(
  model: Model,
  data: TrialData,
  lossName: string,
  opts: TrialOptions & { batchSize: number; shuffle?: boolean; fromLogits?: boolean; t0?: number },
): Promise<TrialResult> {
  const t0 = opts.t0 ?? performance.now();
  const batchSize = Math.min(opts.batchSize, data.x.shape[0]!);
  const inputMoments = inputMomentsOf(data.x.data, data.x.size / data.x.shape[0]!);
  const theory = predictVariances(model, inputMoments, { batchSize });
  const throughTime = predictThroughTime(model, inputMoments);
  const monitor = new GradientMonitor({ every: opts.every ?? 5, onRecord: opts.onRecord });
  const stepsPerEpoch = Math.ceil(data.x.shape[0]! / batchSize);
  await model.fit(data.x, data.y, {
    epochs: Math.ceil(opts.steps / stepsPerEpoch),
    batchSize,
    shuffle: opts.shuffle ?? true,
    verbose: 0,
    callbacks: [monitor, new StopAfterSteps(opts.steps), ...(opts.callbacks ?? [])],
  });
  const history = monitor.history;
  const first = history.steps[0];
  const broke = history.nonFiniteStop !== null || history.losses.some((l) => !Number.isFinite(l));
  const heldOut = broke ? null : heldOutOf(model, lossName, data, opts.fromLogits ?? false);
  return {
    history,
    finalLoss: finalLossOf(history.losses),
    theory,
    throughTime,
    stepZero: first !== undefined && first.step === 0 ? compareTheory(theory, first) : null,
    heldOut,
    symptoms: detectSymptoms(history, { heldOut, batchSize }),
    seconds: (performance.now() - t0) / 1000,
  };
}
