/**
 * The doctor: lint + theory + a short trial → findings; with repair, tries the
 * remedies the findings name, retrains each candidate for the same step budget,
 * and keeps the one that clears the findings and lowers the loss the most.
 *
 * @example
 *   const report = await runDoctor(parseRunConfig('run.json'), { steps: 150, repair: true });
 *   report.findings; report.repair?.config;
 */
import type { RunConfig } from '../run-config/run-config.js';
import { lintConfig } from './lint.js';
import { runTrial, type TrialResult } from './trial.js';
import { theoryFindings } from './theory-findings.js';
import { throughTimeFindings } from './through-time.js';
import type { StepZeroComparison } from './step-zero.js';
import { applyRemedies } from './remedies.js';
import { SEVERITY_RANK, type Finding, type ProbeHistory, type RemedyId, type StepRecord } from './types.js';

export const DEFAULT_TRIAL_STEPS = 150;

export interface DoctorOptions {
  steps?: number;
  repair?: boolean;
  /** Called with static findings before the trial starts, then as trial records arrive. */
  onFindings?: (findings: Finding[]) => void;
  onRecord?: (record: StepRecord, history: ProbeHistory) => void;
  /** Called after each repair candidate's trial. */
  onCandidate?: (candidate: RepairCandidate) => void;
}

export interface Diagnosis {
  findings: Finding[];
  trial: TrialResult;
  loss: number;
}

export interface RepairCandidate {
  applied: RemedyId[];
  loss: number;
  findings: Finding[];
  cleared: boolean;
  config: RunConfig;
}

export interface RepairReport {
  applied: RemedyId[];
  /** The repaired run config document (null when no candidate helped). */
  config: Record<string, unknown> | null;
  before: { loss: number | null; findings: Finding[] };
  after: { loss: number | null; findings: Finding[] };
  cleared: boolean;
  candidates: { applied: RemedyId[]; loss: number | null; cleared: boolean; kinds: string[] }[];
}

export interface DoctorReport {
  findings: Finding[];
  trial: { steps: number; loss: number | null; seconds: number };
  theory: StepZeroComparison | null;
  repair?: RepairReport;
}

const sortFindings = (fs: Finding[]) => fs.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** Lint and theory (static) then a trial; findings sorted by severity. */
export async function diagnose(config: RunConfig, opts: DoctorOptions = {}): Promise<Diagnosis> {
  const lint = lintConfig(config);
  opts.onFindings?.(sortFindings([...lint]));
  const trial = await runTrial(config, { steps: opts.steps ?? DEFAULT_TRIAL_STEPS, onRecord: opts.onRecord });
  const findings = sortFindings([
    ...lint,
    ...theoryFindings(trial.theory),
    ...throughTimeFindings(trial.throughTime),
    ...trial.symptoms,
  ]);
  return { findings, trial, loss: trial.finalLoss };
}

const serious = (f: Finding) => f.severity !== 'info';

/** Cleared: nothing serious found before remains (by code), and no error is left. */
export function isCleared(before: readonly Finding[], after: readonly Finding[]): boolean {
  const codes = new Set(before.filter(serious).map((f) => f.code));
  return !after.some((f) => f.severity === 'error' || (serious(f) && codes.has(f.code)));
}

/** A loss `after` that is lower than `before` (a finite loss beats NaN). */
function lowers(before: number, after: number): boolean {
  if (!Number.isFinite(after)) return false;
  return !Number.isFinite(before) || after < before;
}

/** Remedy orders to try for a set of findings: each single remedy, then all of them together. */
function candidatePlans(findings: readonly Finding[], maxSingles = 6): RemedyId[][] {
  const score = new Map<RemedyId, number>();
  for (const f of findings.filter(serious)) {
    f.remedies.forEach((r, i) =>
      score.set(r.id, (score.get(r.id) ?? 0) + (SEVERITY_RANK[f.severity] + 1) * (f.remedies.length - i)),
    );
  }
  const ranked = [...score.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  const plans = ranked.slice(0, maxSingles).map((id) => [id]);
  const firstChoices = [
    ...new Set(
      findings
        .filter(serious)
        .map((f) => f.remedies[0]?.id)
        .filter((x): x is RemedyId => x !== undefined),
    ),
  ];
  if (firstChoices.length > 1) plans.push(firstChoices);
  return plans;
}

export async function repair(config: RunConfig, before: Diagnosis, opts: DoctorOptions = {}): Promise<RepairReport> {
  const tried: RepairCandidate[] = [];
  const seen = new Set<string>();
  const evaluate = async (base: RunConfig, prefix: RemedyId[], plan: RemedyId[]) => {
    const { config: candidateConfig, applied } = applyRemedies(base, plan);
    const key = JSON.stringify([candidateConfig.layers, candidateConfig.compile, candidateConfig.data]);
    if (applied.length === 0 || seen.has(key)) return;
    seen.add(key);
    const d = await diagnose(candidateConfig, { steps: opts.steps });
    const c: RepairCandidate = {
      applied: [...prefix, ...applied],
      loss: d.loss,
      findings: d.findings,
      cleared: isCleared(before.findings, d.findings),
      config: candidateConfig,
    };
    tried.push(c);
    opts.onCandidate?.(c);
  };
  for (const plan of candidatePlans(before.findings)) await evaluate(config, [], plan);
  const good = () => tried.filter((c) => c.cleared && lowers(before.loss, c.loss)).sort((a, b) => a.loss - b.loss)[0];
  if (good() === undefined && tried.length > 0) {
    // Second round: from the candidate with the fewest serious findings (then lowest loss), try what its findings name.
    const rank = (c: RepairCandidate) =>
      c.findings.filter(serious).length * 1e6 + (Number.isFinite(c.loss) ? c.loss : 1e5);
    const base = [...tried].sort((a, b) => rank(a) - rank(b))[0]!;
    for (const plan of candidatePlans(base.findings, 4)) await evaluate(base.config, base.applied, plan);
  }
  const best = good();
  const summary = tried.map((c) => ({
    applied: c.applied,
    loss: finiteOrNull(c.loss),
    cleared: c.cleared,
    kinds: [...new Set(c.findings.filter(serious).map((f) => f.kind))],
  }));
  return {
    applied: best?.applied ?? [],
    config: best ? { ...best.config.source } : null,
    before: { loss: finiteOrNull(before.loss), findings: before.findings },
    after: best
      ? { loss: finiteOrNull(best.loss), findings: best.findings }
      : { loss: finiteOrNull(before.loss), findings: before.findings },
    cleared: best !== undefined,
    candidates: summary,
  };
}

/** Everything `keel doctor` does, as data. */
export async function runDoctor(config: RunConfig, opts: DoctorOptions = {}): Promise<DoctorReport> {
  const d = await diagnose(config, opts);
  const report: DoctorReport = {
    findings: d.findings,
    trial: { steps: d.trial.history.losses.length, loss: finiteOrNull(d.loss), seconds: d.trial.seconds },
    theory: d.trial.stepZero,
  };
  if (opts.repair) report.repair = await repair(config, d, opts);
  return report;
}
