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
    }
  | { type: 'done'; reason: string }
  | { type: 'error'; message: string };

/**
 * Fashion-MNIST subset file written at build time: 'KFM1', nTrain, nTest, pixels (u32 LE),
 * then labels (u8) and images (u8), train before test.
 */
export const FASHION_ASSET = 'assets/fashion-mnist-subset.bin';
export const FASHION_MAGIC = 0x314d464b; // 'KFM1' little-endian
