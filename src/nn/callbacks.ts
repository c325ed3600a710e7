/**
 * Training callbacks (Keras `keras.callbacks`): an event interface, plus
 * EarlyStopping and TerminateOnNaN. Later tools (the gradient monitor, progress
 * bars, checkpoints) are callbacks too.
 */

import { checkArgs, type ArgSpec } from '../util/args.js';

/** Metric values at an event: loss, accuracy, val_loss, val_accuracy, ... */
export type Logs = Record<string, number>;

/** The part of a model a callback may use. */
export interface TrainableModel {
  stopTraining: boolean;
  getWeights(): { data: Float32Array; shape: number[] }[];
  setWeights(weights: readonly { data: Float32Array; shape: number[] }[]): void;
}

export interface TrainingParams {
  epochs: number;
  steps: number;
  batchSize: number;
  samples: number;
  verbose: number;
  initialEpoch: number;
}

export class Callback {
  model: TrainableModel | null = null;
  params: TrainingParams | null = null;
  setModel(model: TrainableModel): void {
    this.model = model;
  }
  setParams(params: TrainingParams): void {
    this.params = params;
  }
  onTrainBegin(_logs?: Logs): void | Promise<void> {}
  onTrainEnd(_logs?: Logs): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs?: Logs): void | Promise<void> {}
  onBatchBegin(_batch: number, _logs?: Logs): void | Promise<void> {}
  onBatchEnd(_batch: number, _logs?: Logs): void | Promise<void> {}
}

/** Keras-style callback object with any of the event methods. */
export type CallbackLike =
  | Callback
  | Partial<
      Pick<Callback, 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd'>
    >;

export interface EarlyStoppingArgs {
  /** Metric to watch. Default 'val_loss'. */
  monitor?: string;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** 'min', 'max' or 'auto' (max for names containing acc/auc, else min). */
  mode?: 'min' | 'max' | 'auto';
  /** Baseline the metric must beat. */
  baseline?: number | null;
  /** Put back the weights of the best epoch when stopping or finishing. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching. Default 0. */
  startFromEpoch?: number;
}

/** The options of EarlyStopping (Keras `early_stopping.py` / `monitor_callback.py`). */
const EARLY_STOPPING_SPEC: ArgSpec = {
  monitor: { type: 'string', help: "the name of a logged metric, such as 'val_loss' or 'val_accuracy'." },
  minDelta: {
    type: 'number',
    min: 0,
    help:
      'minDelta is the size of the smallest change that counts as an improvement (Keras takes its absolute ' +
      'value; pass it as a non-negative number).',
  },
  patience: {
    type: 'number',
    integer: true,
    min: 0,
    help: 'patience counts epochs without improvement before stopping.',
  },
  mode: { type: 'string', oneOf: ['auto', 'min', 'max'] },
  baseline: { type: 'number', nullable: true },
  restoreBestWeights: { type: 'boolean' },
  startFromEpoch: { type: 'number', integer: true, min: 0 },
};

/** Stops training when a monitored metric stops improving (Keras semantics). */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  stoppedEpoch = 0;
  bestEpoch = 0;
  private wait = 0;
  private best = Infinity;
  private bestWeights: { data: Float32Array; shape: number[] }[] | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    checkArgs(args, EARLY_STOPPING_SPEC, 'EarlyStopping');
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(args.minDelta ?? 0);
    this.patience = args.patience ?? 0;
    const mode = args.mode ?? 'auto';
    this.mode = mode === 'auto' ? (/acc|auc/.test(this.monitor) ? 'max' : 'min') : mode;
    this.baseline = args.baseline ?? null;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = args.startFromEpoch ?? 0;
  }

  private improved(value: number, reference: number): boolean {
    return this.mode === 'min' ? value < reference - this.minDelta : value > reference + this.minDelta;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestWeights = null;
    this.bestEpoch = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const value = logs[this.monitor];
    if (value === undefined || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null) this.bestWeights = this.snapshot();
    this.wait++;
    if (this.improved(value, this.best)) {
      this.best = value;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = this.snapshot();
      if (this.baseline === null || this.improved(value, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model!.stopTraining = true;
      if (this.restoreBestWeights && this.bestWeights !== null) this.model!.setWeights(this.bestWeights);
    }
  }

  private snapshot(): { data: Float32Array; shape: number[] }[] {
    return this.model!.getWeights().map((w) => ({ data: Float32Array.from(w.data), shape: [...w.shape] }));
  }
}

/** Stops training as soon as a batch's loss is NaN or infinite. */
export class TerminateOnNaN extends Callback {
  /** Set when it stopped training: the batch and loss seen. */
  stoppedAt: { batch: number; loss: number } | null = null;
  /** Takes no options (as in Keras); any given are rejected rather than ignored. */
  constructor(args?: Record<string, never>) {
    super();
    checkArgs(args, {}, 'TerminateOnNaN');
  }
  override onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      this.stoppedAt = { batch, loss };
      this.model!.stopTraining = true;
    }
  }
}
