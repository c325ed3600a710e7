/**
 * A trial: build a run config's model, predict its variances, train it for a
 * fixed number of steps under the probe, and report what was seen.
 */
import { buildModel, loadRunData, type RunConfig } from '../run-config/run-config.js';
import type { LoadedData } from '../run-config/data-spec.js';
import { GradientMonitor } from './probe.js';
import { StopAfterSteps } from './stop-after.js';
import { inputMomentsOf, predictVariances, type TheoryPrediction } from './theory.js';
import { predictThroughTime, type ThroughTimePrediction } from './through-time.js';
import { compareTheory, type StepZeroComparison } from './step-zero.js';
import { detectSymptoms } from './symptoms.js';
import type { Finding, ProbeHistory, StepRecord } from './types.js';

export interface TrialOptions {
  /** Optimizer steps to train. */
  steps: number;
  /** Probe sampling interval. Default 5 (a trial is short, so it samples often). */
  every?: number;
  /** Called with each sampled record as training runs (live findings). */
  onRecord?: (record: StepRecord, history: ProbeHistory) => void;
}

export interface TrialResult {
  history: ProbeHistory;
  /** Mean batch loss over the last tenth of the steps (at least 5); NaN if training broke. */
  finalLoss: number;
  theory: TheoryPrediction;
  /** The recurrent layers' gradient growth or decay through time, predicted at initialization. */
  throughTime: ThroughTimePrediction[];
  stepZero: StepZeroComparison | null;
  symptoms: Finding[];
  seconds: number;
}

const dataCache = new Map<string, LoadedData>();

/** Loads a config's data once per process (trials of repaired configs reuse it). */
function trialData(config: RunConfig): LoadedData {
  const key = JSON.stringify([config.data, config.baseDir]);
  let data = dataCache.get(key);
  if (data === undefined) {
    data = loadRunData(config);
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

export async function runTrial(config: RunConfig, opts: TrialOptions): Promise<TrialResult> {
  const t0 = performance.now();
  const data = trialData(config);
  const model = buildModel(config, data.inputShape);
  const batchSize = Math.min(config.fit.batch_size, data.x.shape[0]!);
  const inputMoments = inputMomentsOf(data.x.data, data.x.size / data.x.shape[0]!);
  const theory = predictVariances(model, inputMoments, { batchSize });
  const throughTime = predictThroughTime(model, inputMoments);
  const monitor = new GradientMonitor({ every: opts.every ?? 5, onRecord: opts.onRecord });
  const stepsPerEpoch = Math.ceil(data.x.shape[0]! / batchSize);
  await model.fit(data.x, data.y, {
    epochs: Math.ceil(opts.steps / stepsPerEpoch),
    batchSize,
    shuffle: config.fit.shuffle ?? true,
    verbose: 0,
    callbacks: [monitor, new StopAfterSteps(opts.steps)],
  });
  const history = monitor.history;
  const first = history.steps[0];
  return {
    history,
    finalLoss: finalLossOf(history.losses),
    theory,
    throughTime,
    stepZero: first !== undefined && first.step === 0 ? compareTheory(theory, first) : null,
    symptoms: detectSymptoms(history),
    seconds: (performance.now() - t0) / 1000,
  };
}
