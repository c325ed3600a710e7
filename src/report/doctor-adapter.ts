/**
 * The one place the report and the lab reach into the gradient doctor
 * (src/health). Everything they draw comes through here, so following a
 * change in health/ (e.g. a new `health/index.ts`) is a one-file edit.
 */
import type { Sequential } from '../nn/model.js';
import type { KerasObject } from '../nn/keras-config.js';
import type { Tensor } from '../tensor/tensor.js';
import { GradientMonitor } from '../health/probe.js';
import { detectSymptoms } from '../health/symptoms.js';
import { applicableTo } from '../health/applicable.js';
import type { Model } from '../nn/functional.js';
import { inputMomentsOf, predictVariances, type TheoryPrediction } from '../health/theory.js';
import { lintConfig } from '../health/lint.js';
import { theoryFindings } from '../health/theory-findings.js';
import { predictThroughTime, throughTimeFindings } from '../health/through-time.js';
import type { Finding, ProbeHistory, StepRecord, LayerStepStats, Severity } from '../health/types.js';

export type { Finding, ProbeHistory, StepRecord, LayerStepStats, Severity, TheoryPrediction };
export { GradientMonitor };

/** The probe that records per-layer statistics every `every` steps. */
export function createProbe(every: number, onRecord?: (r: StepRecord, h: ProbeHistory) => void): GradientMonitor {
  return new GradientMonitor({ every, onRecord });
}

/** An empty probe history (whatever fields the probe's history has). */
export function emptyProbeHistory(every = 1): ProbeHistory {
  return new GradientMonitor({ every }).history;
}

/**
 * Symptoms the doctor finds in a probe history (vanishing/exploding gradients, dying ReLU, ...); given the model,
 * without the remedies it already has or that do not suit it (health/applicable.ts).
 */
export function trialFindings(history: ProbeHistory, model?: Model): Finding[] {
  const findings = detectSymptoms(history);
  return model === undefined ? findings : applicableTo(model)(findings);
}

/** Static lint findings on the model's layer configs (null-safe: an unusual config never breaks a report). */
export function lintFindings(layers: readonly KerasObject[]): Finding[] {
  try {
    return lintConfig({ layers });
  } catch {
    return [];
  }
}

/** What the variance theory predicts will go wrong, before any training. */
export function theoryFindingsOf(t: TheoryPrediction | null): Finding[] {
  if (t === null) return [];
  try {
    return theoryFindings(t);
  } catch {
    return [];
  }
}

/** The variance-propagation prediction at initialization, from the training inputs' moments. */
export function predictTheory(model: Sequential, x: Tensor, batchSize: number): TheoryPrediction | null {
  try {
    const features = x.size / Math.max(1, x.shape[0] ?? 1);
    const rows = Math.min(x.shape[0] ?? 0, Math.floor(1_000_000 / Math.max(1, features)));
    return predictVariances(model, inputMomentsOf(x.data.subarray(0, rows * features), features), { batchSize });
  } catch {
    return null;
  }
}

/** What the theory through time predicts for the recurrent layers (exploding or vanishing through time). */
export function throughTimeFindingsOf(model: Sequential, x: Tensor): Finding[] {
  try {
    const features = x.size / Math.max(1, x.shape[0] ?? 1);
    const rows = Math.min(x.shape[0] ?? 0, Math.floor(1_000_000 / Math.max(1, features)));
    const moments = inputMomentsOf(x.data.subarray(0, rows * features), features); // as the doctor's trial does
    return throughTimeFindings(predictThroughTime(model, moments));
  } catch {
    return [];
  }
}

export type { DoctorReport, RepairReport, Verification, HeldOutSummary } from '../health/doctor.js';
