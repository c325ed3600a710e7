/** Messages between the lab page and its training worker. */
import type { LabSettings } from './settings.js';
import type { Finding, StepRecord } from '../../src/report/doctor-adapter.js';
import type { HistogramSet } from '../../src/report/html/charts/ridgeline.js';

export type ToWorker =
  | { type: 'start'; settings: LabSettings }
  /** Pause, resume, one step while paused, or a speed limit in steps per second (0: as fast as it goes). */
  | { type: 'control'; paused?: boolean; step?: boolean; stepsPerSecond?: number };

export type FromWorker =
  | {
      type: 'started';
      kernels: 'wasm' | 'js';
      network: string;
      dataName: string;
      trainSize: number;
      stepsPerEpoch: number;
      lintAndTheory: Finding[];
      /** 'regress': the adding problem (mean-squared error, no accuracy). */
      task: 'classify' | 'regress';
      /** The 2-D sets' training points, drawn over the decision boundary (null for the other sets). */
      points: { x: number[]; y: number[]; label: number[] } | null;
    }
  | {
      type: 'progress';
      step: number;
      epoch: number;
      /** Batch losses since the last message, in step order. */
      losses: number[];
      /** Probe records since the last message. */
      records: StepRecord[];
      histograms: HistogramSet | null;
      /** Trial findings over the whole run so far. */
      findings: Finding[];
      /** Epochs completed since the last message, with their metrics. */
      epochs: { epoch: number; logs: Record<string, number> }[];
      stepsPerSecond: number;
      /** True when training is held by Pause at this step (the page's data-worker-paused). */
      paused?: boolean;
      /** The model's prediction over a grid covering the 2-D data, when one was taken since the last message. */
      grid: DecisionGrid | null;
    }
  | { type: 'done'; reason: string; nonFinite: boolean }
  | { type: 'error'; message: string };

/**
 * Fashion-MNIST subset file written at build time: 'KFM1', nTrain, nTest, pixels (u32 LE),
 * then labels (u8) and images (u8), train before test.
 */
export const FASHION_ASSET = 'assets/fashion-mnist-subset.bin';
export const FASHION_MAGIC = 0x314d464b; // 'KFM1' little-endian

/** The predicted class and its probability at the centre of each cell of an n × n grid over [x0, x1] × [y0, y1]. */
export interface DecisionGrid {
  step: number;
  n: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Row-major from the top row (y1) down: class index, then probability of that class. */
  classes: number[];
  confidence: number[];
}
