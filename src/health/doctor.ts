/**
 * The doctor: lint (model and data) + theory + a short trial judged on held-out data → findings ranked into one
 * primary cause and its consequences. With repair, tries the remedies the findings name (learning rates from a
 * range test), retrains each candidate for the same step budget, accepts those that beat chance and the original
 * on held-out data in inference mode, and verifies the best with a longer run on the config's test data.
 *
 * @example
 *   const report = await runDoctor(parseRunConfig('run.json'), { steps: 150, repair: true });
 *   report.findings; report.diagnosis?.primary; report.repair?.config;
 */
import { buildModel, type RunConfig } from '../run-config/run-config.js';
import { lintConfig } from './lint.js';
import { dataFindings } from './lint/data-rules.js';
import { runTrial, trialData, type TrialResult } from './trial.js';
import { theoryFindings } from './theory-findings.js';
import { throughTimeFindings } from './through-time.js';
import type { StepZeroComparison } from './step-zero.js';
import { applyRemedies, currentLearningRate, type RemedyHints } from './remedies.js';
import { detectSymptoms } from './symptoms.js';
import { rootCause, type RootCause } from './root-cause.js';
import { lrRangeTest } from './lr-range.js';
import { evaluateHeldOut, lossNameOf, type HeldOut } from './baseline.js';
import { describeChanges, sourceWithRepeats } from './repair-config.js';
import { SEVERITY_RANK, type Finding, type ProbeHistory, type RemedyId, type StepRecord } from './types.js';

export const DEFAULT_TRIAL_STEPS = 150;

export interface DoctorOptions {
  steps?: number;
  repair?: boolean;
  /**
   * Epochs of the verification run of the repair's winner (and of the original, for the before/after numbers);
   * default the config's own epochs; 0 or false skips it.
   */
  verify?: number | false;
  /** Called with static findings before the trial starts, then with trial findings as they appear. */
  onFindings?: (findings: Finding[]) => void;
  onRecord?: (record: StepRecord, history: ProbeHistory) => void;
  /** Called after each repair candidate's trial. */
  onCandidate?: (candidate: RepairCandidate) => void;
  /** Called when a verification run starts ('before' = the original config, 'after' = the repaired one). */
  onVerify?: (which: 'before' | 'after', epochs: number) => void;
}

export interface Diagnosis {
  findings: Finding[];
  trial: TrialResult;
  loss: number;
  /** The trial's held-out verdict (null when training broke or the data is too small to split). */
  heldOut: HeldOut | null;
  rootCause: RootCause;
}

export interface RepairCandidate {
  applied: RemedyId[];
  loss: number;
  findings: Finding[];
  /** Accepted: beats chance and the original on held-out data, and no error finding of the original is left. */
  cleared: boolean;
  heldOut: HeldOut | null;
  /** At chance after the trial like a slow task, where the original had errors: a longer run must confirm it. */
  provisional?: boolean;
  config: RunConfig;
}

/** A model's numbers after a verification run, on the config's test data in inference mode. */
export interface Verification extends HeldOutSummary {
  epochs: number;
  seconds: number;
}

export interface RepairReport {
  applied: RemedyId[];
  /** The repaired run config document (null when no candidate helped), `repeat` blocks kept. */
  config: Record<string, unknown> | null;
  before: { loss: number | null; findings: Finding[]; heldOut?: HeldOutSummary | null };
  after: { loss: number | null; findings: Finding[]; heldOut?: HeldOutSummary | null };
  /** A candidate was accepted on held-out data. */
  cleared: boolean;
  candidates: {
    applied: RemedyId[];
    loss: number | null;
    cleared: boolean;
    kinds: string[];
    heldOut?: HeldOutSummary | null;
  }[];
  /** What the repair changed, one line each ("bias_initializer constant(-1.5) → zeros in 6 layers"). */
  changes?: string[];
  /** The learning rate the range test suggested (when a learning-rate remedy was considered). */
  learningRateRangeTest?: { suggested: number | null; current: number | null };
  /** The longer run of the original and of the repaired config, judged on the test data. */
  verification?: { before: Verification; after: Verification | null; confirmed: boolean };
}

export interface HeldOutSummary {
  loss: number | null;
  accuracy: number | null;
  baselineLoss: number;
  baselineAccuracy: number | null;
  lossRatio: number | null;
  atChance: boolean;
}

export interface DoctorReport {
  findings: Finding[];
  trial: { steps: number; loss: number | null; seconds: number; heldOut?: HeldOutSummary | null };
  theory: StepZeroComparison | null;
  /** The primary cause and what follows from it, in plain words. */
  diagnosis?: { primary: string | null; consequences: string[]; text: string };
  repair?: RepairReport;
}

const sortFindings = (fs: Finding[]) => fs.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

export function summarizeHeldOut(v: HeldOut | null): HeldOutSummary | null {
  if (v === null) return null;
  return {
    loss: finiteOrNull(v.loss),
    accuracy: v.accuracy,
    baselineLoss: v.baseline.loss,
    baselineAccuracy: v.baseline.accuracy,
    lossRatio: finiteOrNull(v.lossRatio),
    atChance: v.atChance,
  };
}

/** Symptom kinds judged from the loss curve: reported only once the trial is over. */
const LOSS_KINDS = new Set(['loss_not_decreasing', 'oscillating_loss']);

/** Lint (model and data) and theory (static), then a trial; findings sorted by severity and ranked by cause. */
export async function diagnose(config: RunConfig, opts: DoctorOptions = {}): Promise<Diagnosis> {
  const lint = lintConfig(config);
  opts.onFindings?.(sortFindings([...lint]));
  let data: Finding[] = [];
  try {
    data = dataFindings(config, trialData(config).loaded);
  } catch {
    data = [];
  }
  if (data.length) opts.onFindings?.(data);
  const batchSize = config.fit.batch_size;
  const seen = new Set<string>();
  const live = opts.onFindings
    ? (record: StepRecord, history: ProbeHistory) => {
        opts.onRecord?.(record, history);
        const fresh = detectSymptoms(history, { batchSize }).filter(
          (f) => f.severity === 'error' && !LOSS_KINDS.has(f.kind) && !seen.has(f.code),
        );
        fresh.forEach((f) => seen.add(f.code));
        if (fresh.length) opts.onFindings!(fresh);
      }
    : opts.onRecord;
  const trial = await runTrial(config, { steps: opts.steps ?? DEFAULT_TRIAL_STEPS, onRecord: live });
  const findings = sortFindings([
    ...lint,
    ...data,
    ...theoryFindings(trial.theory),
    ...throughTimeFindings(trial.throughTime),
    ...trial.symptoms,
  ]);
  const cause = rootCause(findings);
  return { findings, trial, loss: trial.finalLoss, heldOut: trial.heldOut, rootCause: cause };
}

const serious = (f: Finding) => f.severity !== 'info';

/** Cleared: nothing serious found before remains (by code), and no error is left. */
export function isCleared(before: readonly Finding[], after: readonly Finding[]): boolean {
  const codes = new Set(before.filter(serious).map((f) => f.code));
  return !after.some((f) => f.severity === 'error' || (serious(f) && codes.has(f.code)));
}

/** Relative margin by which a candidate's held-out loss ratio must beat the original's. [ours] */
const BETTER = 0.95;

/**
 * Accepted on held-out data: the candidate trained (finite), does better than chance, leaves no error finding, and
 * does better than the original (lower held-out loss relative to the trivial baseline; a broken original is beaten
 * by any finite one) — or, leaving no warning either, is at least as good within the trial's budget.
 */
export function accepts(
  before: HeldOut | null,
  c: { heldOut: HeldOut | null; findings: readonly Finding[] },
  originalHadErrors = true,
): boolean {
  const v = c.heldOut;
  if (v === null || !Number.isFinite(v.loss) || v.atChance) return false;
  if (c.findings.some((f) => f.severity === 'error')) return false;
  if (before === null || !Number.isFinite(before.lossRatio)) return true;
  if (v.lossRatio < BETTER * before.lossRatio || (before.atChance && !v.atChance)) return true;
  // Within the trial's budget a fix may only match the original: accepted when it leaves no warning either.
  // An original with warnings only already learns: clearing them may cost a little (a tenth of chance's loss).
  const slack = originalHadErrors ? 0.05 : 0.1;
  return !c.findings.some(serious) && v.lossRatio <= Math.max(before.lossRatio / BETTER, before.lossRatio + slack);
}

/**
 * Provisionally accepted (not accepted on held-out data, e.g. still at chance after the trial): no error left, the
 * original's findings cleared and the training loss lower. Only a longer run that beats chance and the original
 * makes it a repair.
 */
function provisional(
  before: Diagnosis,
  c: { heldOut: HeldOut | null; findings: readonly Finding[]; loss: number },
): boolean {
  const v = c.heldOut;
  if (v === null || !Number.isFinite(v.loss) || !Number.isFinite(c.loss)) return false;
  // The loss verdicts are what a slow task cannot pass in a trial: judged by the longer run instead.
  const notLoss = (f: Finding) => !LOSS_KINDS.has(f.kind);
  if (c.findings.some((f) => f.severity === 'error' && notLoss(f))) return false;
  // Slow tasks (a recurrent net on the adding problem) sit at chance for the whole trial: there the older evidence,
  // the original's findings cleared and a lower training loss, makes a candidate worth the longer run.
  const lower = !Number.isFinite(before.loss) || c.loss < before.loss;
  return isCleared(before.findings.filter(notLoss), c.findings.filter(notLoss)) && lower;
}

/** Remedy orders to try: each single remedy (the primary cause's first), then the first choices together. */
function candidatePlans(findings: readonly Finding[], primary: Finding | null, maxSingles = 6): RemedyId[][] {
  const score = new Map<RemedyId, number>();
  for (const f of findings.filter(serious)) {
    const weight = f === primary ? 100 : SEVERITY_RANK[f.severity] + 1;
    f.remedies.forEach((r, i) => score.set(r.id, (score.get(r.id) ?? 0) + weight * (f.remedies.length - i)));
  }
  const ranked = [...score.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  const plans = ranked.slice(0, maxSingles).map((id) => [id]);
  const firstChoices = [
    ...new Set(
      findings
        .filter((f) => f.severity === 'error')
        .map((f) => f.remedies[0]?.id)
        .filter((x): x is RemedyId => x !== undefined),
    ),
  ];
  if (firstChoices.length > 1) plans.push(firstChoices);
  return plans;
}

const LR_REMEDIES = new Set<RemedyId>(['smaller_learning_rate', 'larger_learning_rate']);

/** Trains a config for `epochs` on its whole training split and judges it on its test data, in inference mode. */
export async function verifyConfig(config: RunConfig, epochs: number): Promise<Verification> {
  const t0 = performance.now();
  const data = trialData(config);
  const loaded = data.loaded;
  const model = buildModel(config, data.inputShape);
  let broke = false;
  try {
    const h = await model.fit(loaded.x, loaded.y, {
      epochs,
      batchSize: Math.min(config.fit.batch_size, loaded.x.shape[0]!),
      shuffle: config.fit.shuffle ?? true,
      verbose: 0,
    });
    const losses = (h as { history?: Record<string, number[]> }).history?.loss ?? [];
    broke = losses.some((l) => !Number.isFinite(l));
  } catch {
    broke = true;
  }
  const v = evaluateHeldOut(model, lossNameOf(config.compile.loss), {
    xVal: loaded.xTest,
    yVal: loaded.yTest,
    yTrain: loaded.y.data,
    numClasses: loaded.numClasses,
    fromLogits: config.compile.from_logits ?? false,
  });
  const bad = broke || !Number.isFinite(v.loss);
  return {
    epochs,
    loss: bad ? null : v.loss,
    accuracy: bad ? null : v.accuracy,
    baselineLoss: v.baseline.loss,
    baselineAccuracy: v.baseline.accuracy,
    lossRatio: bad ? null : v.lossRatio,
    atChance: bad || v.atChance,
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * The repaired run beats chance and the original's run of the same length; when the original had warnings only
 * (it learned), the repaired one must beat chance and not be worse than it by more than a tenth of chance's loss.
 */
export function confirms(before: Verification, after: Verification, originalHadErrors = true): boolean {
  if (after.atChance || after.lossRatio === null) return false;
  if (before.lossRatio === null || before.atChance) return true;
  if (!originalHadErrors) return after.lossRatio <= Math.max(before.lossRatio / BETTER, before.lossRatio + 0.1);
  return after.lossRatio < BETTER * before.lossRatio;
}

export async function repair(config: RunConfig, before: Diagnosis, opts: DoctorOptions = {}): Promise<RepairReport> {
  const tried: RepairCandidate[] = [];
  const seen = new Set<string>();
  const hints: RemedyHints = { numClasses: trialData(config).numClasses };
  let rangeTest: RepairReport['learningRateRangeTest'];
  const wantsLr = before.findings.some((f) => serious(f) && f.remedies.some((r) => LR_REMEDIES.has(r.id)));
  if (wantsLr) {
    const r = await lrRangeTest(config);
    if (r.suggested !== null) hints.learningRate = r.suggested;
    rangeTest = { suggested: r.suggested, current: currentLearningRate(config) };
  }
  const hadErrors = before.findings.some((f) => f.severity === 'error');
  const evaluate = async (base: RunConfig, prefix: RemedyId[], plan: RemedyId[]) => {
    const { config: candidateConfig, applied } = applyRemedies(base, plan, hints);
    const key = JSON.stringify([
      candidateConfig.layers,
      candidateConfig.compile,
      candidateConfig.data,
      candidateConfig.fit,
    ]);
    if (applied.length === 0 || seen.has(key)) return;
    seen.add(key);
    const d = await diagnose(candidateConfig, { steps: opts.steps });
    const c: RepairCandidate = {
      applied: [...prefix, ...applied],
      loss: d.loss,
      findings: d.findings,
      heldOut: d.heldOut,
      cleared: accepts(before.heldOut, { heldOut: d.heldOut, findings: d.findings }, hadErrors),
      provisional: provisional(before, { heldOut: d.heldOut, findings: d.findings, loss: d.loss }),
      config: candidateConfig,
    };
    tried.push(c);
    opts.onCandidate?.(c);
  };
  for (const plan of candidatePlans(before.findings, before.rootCause.primary)) await evaluate(config, [], plan);
  // Held-out loss relative to chance, 10% worse per serious finding left.
  const ratio = (c: RepairCandidate) =>
    (c.heldOut !== null && Number.isFinite(c.heldOut.lossRatio) ? c.heldOut.lossRatio : 1e9) *
    (1 + 0.1 * c.findings.filter(serious).length);
  const verifying = opts.verify !== false && opts.verify !== 0;
  const good = () =>
    tried
      .filter((c) => c.cleared || (verifying && c.provisional === true))
      .sort((a, b) => Number(a.cleared === false) - Number(b.cleared === false) || ratio(a) - ratio(b));
  if (good().length === 0 && tried.length > 0) {
    // Second round: from the candidate with the fewest errors (then the best held-out loss), try what it names.
    const rank = (c: RepairCandidate) => c.findings.filter((f) => f.severity === 'error').length * 1e6 + ratio(c);
    const base = [...tried].sort((a, b) => rank(a) - rank(b))[0]!;
    const cause = base.findings.find((f) => f.role === 'primary') ?? null;
    for (const plan of candidatePlans(base.findings, cause, 4)) await evaluate(base.config, base.applied, plan);
  }
  // The primary cause's own first remedy, when accepted, is verified first (it is the change the report names).
  const firstFix = before.rootCause.primary?.remedies[0]?.id;
  const accepted = good().sort(
    (a, b) =>
      Number(firstFix !== undefined && b.applied.includes(firstFix)) -
      Number(firstFix !== undefined && a.applied.includes(firstFix)),
  );
  let best: RepairCandidate | undefined = accepted[0];
  let verification: RepairReport['verification'];
  const epochs = opts.verify === false ? 0 : (opts.verify ?? config.fit.epochs);
  if (best !== undefined && epochs > 0) {
    opts.onVerify?.('before', epochs);
    const v0 = await verifyConfig(config, epochs);
    let v1: Verification | null = null;
    // The best accepted candidates in turn (at most three) until one is confirmed by the longer run.
    for (const c of accepted.slice(0, 3)) {
      opts.onVerify?.('after', epochs);
      const v = await verifyConfig(c.config, epochs);
      if (v1 === null || confirms(v0, v, hadErrors)) {
        v1 = v;
        best = c;
      }
      if (confirms(v0, v, hadErrors)) break;
    }
    verification = { before: v0, after: v1, confirmed: v1 !== null && confirms(v0, v1, hadErrors) };
    if (!best!.cleared && !verification.confirmed) best = undefined; // provisional, and the longer run says no
  }
  const summary = tried.map((c) => ({
    applied: c.applied,
    loss: finiteOrNull(c.loss),
    cleared: c.cleared,
    kinds: [...new Set(c.findings.filter(serious).map((f) => f.kind))],
    heldOut: summarizeHeldOut(c.heldOut),
  }));
  const repaired = best ? sourceWithRepeats(config, best.config, best.applied) : null;
  return {
    applied: best?.applied ?? [],
    config: repaired,
    before: { loss: finiteOrNull(before.loss), findings: before.findings, heldOut: summarizeHeldOut(before.heldOut) },
    after: best
      ? { loss: finiteOrNull(best.loss), findings: best.findings, heldOut: summarizeHeldOut(best.heldOut) }
      : { loss: finiteOrNull(before.loss), findings: before.findings, heldOut: summarizeHeldOut(before.heldOut) },
    cleared: best !== undefined,
    candidates: summary,
    ...(best ? { changes: describeChanges(config, best.config) } : {}),
    ...(rangeTest ? { learningRateRangeTest: rangeTest } : {}),
    ...(verification ? { verification } : {}),
  };
}

/** Everything `keel doctor` does, as data. */
export async function runDoctor(config: RunConfig, opts: DoctorOptions = {}): Promise<DoctorReport> {
  const d = await diagnose(config, opts);
  const report: DoctorReport = {
    findings: d.findings,
    trial: {
      steps: d.trial.history.losses.length,
      loss: finiteOrNull(d.loss),
      seconds: d.trial.seconds,
      heldOut: summarizeHeldOut(d.heldOut),
    },
    theory: d.trial.stepZero,
    diagnosis: {
      primary: d.rootCause.primary?.code ?? null,
      consequences: d.rootCause.consequences.map((f) => f.code),
      text: d.rootCause.text,
    },
  };
  if (opts.repair) report.repair = await repair(config, d, opts);
  return report;
}
