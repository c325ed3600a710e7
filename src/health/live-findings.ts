/**
 * Live findings for `keel train`: a GradientMonitor that runs the symptom
 * detectors on each sampled step and prints a finding the first time its
 * kind appears, e.g.
 * "exploding_gradient at step 140: Exploding gradients: global gradient norm reached 1.2e+6; fix: clip gradients:
 * global_clipnorm=1.0"
 *
 * @example await model.fit(x, y, { callbacks: [new LiveFindings({ print: (line) => console.log(line) })] });
 */
import { GradientMonitor } from './probe.js';
import { detectSymptoms } from './symptoms.js';
import type { Finding, ProbeHistory, StepRecord } from './types.js';
import { THRESHOLDS } from './thresholds.js';

/** Steps before the loss trend is judged (a few hundred batches smooth out batch noise). */
const LIVE_LOSS_MIN_STEPS = THRESHOLDS.liveLossMinSteps;

export interface LiveFindingsArgs {
  /** Gets each finding's line and its severity (so a terminal can colour it). */
  print: (line: string, severity: Finding['severity']) => void;
  every?: number;
  /** Also report findings of severity info/warning (default: warnings and errors). */
  includeInfo?: boolean;
}

export function formatLiveFinding(f: Finding, step: number): string {
  const fix = f.remedies[0]?.fix;
  return `${f.kind} at step ${f.step ?? step}: ${f.message.replace(/\.$/, '')}${fix ? `; fix: ${fix}` : ''}`;
}

export class LiveFindings extends GradientMonitor {
  /** Findings printed so far, in order. */
  readonly reported: Finding[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly args: LiveFindingsArgs) {
    super({ every: args.every });
    this.addListener((record, history) => this.check(record, history));
  }

  override onTrainEnd(logs: Record<string, number> = {}): void {
    super.onTrainEnd(logs);
    if (this.history.nonFiniteStop !== null) this.check(null, this.history);
  }

  private check(record: StepRecord | null, history: ProbeHistory): void {
    for (const f of detectSymptoms(history)) {
      if (this.seen.has(f.kind)) continue;
      if (f.severity === 'info' && !this.args.includeInfo) continue;
      if (f.kind === 'loss_not_decreasing' && history.losses.length < LIVE_LOSS_MIN_STEPS) continue;
      this.seen.add(f.kind);
      this.reported.push(f);
      this.args.print(formatLiveFinding(f, record?.step ?? history.losses.length - 1), f.severity);
    }
  }
}
