/**
 * What a report draws for one training run: plain JSON, so a run recorded in
 * Node, in the lab, or by the doctor renders the same way.
 */
import { emptyProbeHistory, type Finding, type ProbeHistory, type TheoryPrediction } from '../doctor-adapter.js';
import type { HistogramSet } from './charts/ridgeline.js';

export interface RunRecord {
  /** Heading, e.g. the config file or the demo variant's label. */
  title: string;
  /** One line under the heading (what was trained). */
  subtitle?: string;
  /** Key facts shown in a small table: data, test accuracy, verdict, time ... */
  summary: Record<string, string>;
  /** Per-epoch metrics (Keras History.history): loss, accuracy, val_loss, val_accuracy. */
  epochs: Record<string, number[]>;
  /** Per-step batch loss and per-layer statistics at sampled steps (the doctor's probe). */
  probe: ProbeHistory;
  /** Activation histograms at a few steps. */
  histograms: HistogramSet[];
  /** Variance-propagation prediction at initialization, when available. */
  theory: TheoryPrediction | null;
  /** The doctor's findings (lint, theory and trial). */
  findings: Finding[];
  /** Accuracy of guessing (1 / classes), drawn as the chance line; absent for regression. */
  chance?: number;
}

/** An empty record (for runs that produced nothing yet). */
export function emptyRecord(title: string): RunRecord {
  return { title, summary: {}, epochs: {}, probe: emptyProbeHistory(), histograms: [], theory: null, findings: [] };
}
