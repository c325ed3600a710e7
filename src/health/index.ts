/** The gradient doctor: probe, theory, lint, symptoms, repair. */
export { GradientMonitor, DEFAULT_EVERY, type GradientMonitorArgs } from './probe.js';
export { LiveFindings, formatLiveFinding, type LiveFindingsArgs } from './live-findings.js';
export {
  predictVariances,
  inputMomentsOf,
  type InputMoments,
  type LayerPrediction,
  type TheoryPrediction,
} from './theory.js';
export { theoryAtStepZero, compareTheory, type StepZeroComparison, type LayerComparison } from './step-zero.js';
export { activationMoments } from './activation-moments.js';
export { gaussHermite, gaussianExpectation } from './gauss-hermite.js';
export { lintConfig, lintModel, LINT_RULES, type LintInput } from './lint.js';
export { detectSymptoms, lossTrend } from './symptoms.js';
export { THRESHOLDS } from './thresholds.js';
export { theoryFindings } from './theory-findings.js';
export { runTrial, type TrialOptions, type TrialResult } from './trial.js';
export { applyRemedy, applyRemedies } from './remedies.js';
export { diagnoseModel, type DiagnoseModelOptions, type ModelDiagnosis } from './diagnose-model.js';
export { rootCause, contradicts, WHY, type RootCause } from './root-cause.js';
export { baselineOf, evaluateHeldOut, atChance, type Baseline, type HeldOut } from './baseline.js';
export { lrRangeTest, suggestRate, type LrRangeResult } from './lr-range.js';
export { describeChanges, compressRepeats } from './repair-config.js';
export { dataFindings } from './lint/data-rules.js';
export {
  diagnose as diagnoseConfig,
  repair,
  verifyConfig,
  runDoctor,
  isCleared,
  DEFAULT_TRIAL_STEPS,
  type DoctorOptions,
  type DoctorReport,
  type RepairReport,
  type Diagnosis,
} from './doctor.js';
export { formatFinding, formatTheoryTable } from './format.js';
export { diagnose } from './diagnose.js';
export { measureProbeOverhead, type OverheadResult } from './overhead.js';
export type {
  Finding,
  FindingKind,
  SymptomKind,
  Severity,
  Remedy,
  RemedyId,
  ProbeHistory,
  StepRecord,
  LayerStepStats,
} from './types.js';
