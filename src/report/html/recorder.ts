/**
 * A fit() callback that records everything a report draws: the doctor's probe
 * (per-layer statistics every `every` steps and every batch loss), activation
 * histograms at a few steps, per-epoch metrics, the variance theory at
 * initialization, and the findings at the end.
 *
 * @example
 *   const rec = new ReportRecorder({ title: 'run.json', x });
 *   await model.fit(x, y, { callbacks: [rec] });
 *   writeReport('report.html', rec.record());
 */
import { Model } from '../../nn/functional.js';
import { Sequential } from '../../nn/model.js';
import type { KerasObject } from '../../nn/keras-config.js';
import type { Logs } from '../../nn/callbacks.js';
import type { Tensor } from '../../tensor/tensor.js';
import {
  createProbe,
  emptyProbeHistory,
  lintFindings,
  predictTheory,
  theoryFindingsOf,
  trialFindings,
  type GradientMonitor,
  type TheoryPrediction,
} from '../doctor-adapter.js';
import { ActivationSampler } from './histograms.js';
import { CallbackGroup } from './combine.js';
import type { RunRecord } from './record.js';

export interface ReportRecorderArgs {
  title: string;
  subtitle?: string;
  /** Training inputs (their moments feed the variance theory). */
  x?: Tensor;
  /** Layer configs for the static lint findings. */
  layers?: readonly KerasObject[];
  /** Probe sampling interval in steps (default: about 150 samples over the run, at least every step). */
  every?: number;
  /** Number of classes (the accuracy charts draw chance at 1 / numClasses). */
  numClasses?: number;
}

export class ReportRecorder extends CallbackGroup {
  private monitor: GradientMonitor | null = null;
  private readonly sampler = new ActivationSampler();
  private readonly epochs: Record<string, number[]> = {};
  private theory: TheoryPrediction | null = null;
  private startedAt = 0;

  constructor(private readonly args: ReportRecorderArgs) {
    super([]);
  }

  /** Fit calls this first; the probe interval depends on the run's length, so members are made here. */
  override async onTrainBegin(logs?: Logs): Promise<void> {
    const p = this.params;
    const total = p === null ? 1000 : p.steps * Math.max(1, p.epochs - p.initialEpoch);
    this.monitor = createProbe(this.args.every ?? Math.max(1, Math.ceil(total / 150)));
    this.setMembers([this.monitor, this.sampler]);
    const model = this.model;
    if (model instanceof Sequential && this.args.x !== undefined && p !== null)
      this.theory = predictTheory(model, this.args.x, p.batchSize);
    this.startedAt = Date.now();
    await super.onTrainBegin(logs);
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    for (const [k, v] of Object.entries(logs)) (this.epochs[k] ??= []).push(v);
    await super.onEpochEnd(epoch, logs);
  }

  /** The run so far as a RunRecord; `summary` adds to the default facts. */
  record(summary: Record<string, string> = {}): RunRecord {
    const probe = this.monitor?.history ?? emptyProbeHistory();
    const findings = [
      ...lintFindings(this.args.layers ?? []),
      ...theoryFindingsOf(this.theory),
      ...trialFindings(probe, this.model instanceof Model ? this.model : undefined),
    ];
    const seconds = this.startedAt > 0 ? (Date.now() - this.startedAt) / 1000 : 0;
    return {
      title: this.args.title,
      subtitle: this.args.subtitle,
      ...(this.args.numClasses !== undefined ? { chance: 1 / this.args.numClasses } : {}),
      summary: { steps: String(probe.losses.length), 'training time': `${seconds.toFixed(1)} s`, ...summary },
      epochs: this.epochs,
      probe,
      histograms: this.sampler.sets,
      theory: this.theory,
      findings,
    };
  }
}
