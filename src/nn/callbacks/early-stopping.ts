/** EarlyStopping and TerminateOnNaN (Keras `early_stopping.py`, `terminate_on_nan.py`). */
import { checkArgs, type ArgSpec } from '../../util/args.js';
import { Callback, isImprovement, resolveMode, stateError, type Logs } from './base.js';

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
  /** Put back the weights of the best epoch when training ends (stopped or not). Default false. */
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

type Weights = { data: Float32Array; shape: number[] }[];

/** What EarlyStopping carries across a checkpoint. */
export interface EarlyStoppingState {
  wait: number;
  best: number | null;
  bestEpoch: number;
  stoppedEpoch: number;
  bestWeights: Weights | null;
}

/**
 * Stops training when a monitored metric stops improving (Keras 3 semantics): after `patience` epochs
 * without an improvement larger than `minDelta` (and, with a baseline, once the metric fails to beat it);
 * with restoreBestWeights the best epoch's weights are put back when training ends.
 */
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
  private best: number | null = null;
  private bestWeights: Weights | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    checkArgs(args, EARLY_STOPPING_SPEC, 'EarlyStopping');
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(args.minDelta ?? 0);
    this.patience = args.patience ?? 0;
    this.mode = resolveMode(args.mode ?? 'auto', this.monitor);
    this.baseline = args.baseline ?? null;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = args.startFromEpoch ?? 0;
  }

  private improved(value: number, reference: number | null): boolean {
    return isImprovement(this.mode, this.minDelta, value, reference);
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestWeights = null;
    this.bestEpoch = 0;
    this.best = null;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const value = logs[this.monitor];
    if (value === undefined || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = this.snapshot();
      this.bestEpoch = epoch;
    }
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
    }
  }

  override onTrainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights !== null) this.model!.setWeights(this.bestWeights);
  }

  override getState(): EarlyStoppingState {
    return {
      wait: this.wait,
      best: this.best,
      bestEpoch: this.bestEpoch,
      stoppedEpoch: this.stoppedEpoch,
      bestWeights: this.bestWeights,
    };
  }

  override validateState(state: unknown, where: string): void {
    const s = state as Partial<EarlyStoppingState> | null;
    const expected = '{wait, best, bestEpoch, stoppedEpoch, bestWeights}';
    if (typeof s !== 'object' || s === null) throw stateError(where, expected, state);
    for (const k of ['wait', 'bestEpoch', 'stoppedEpoch'] as const) {
      if (!Number.isSafeInteger(s[k]) || s[k]! < 0) throw stateError(`${where} ${k}`, 'a non-negative integer', s[k]);
    }
    if (s.best !== null && (typeof s.best !== 'number' || Number.isNaN(s.best)))
      throw stateError(`${where} best`, 'a number or null', s.best);
    if (s.bestWeights === null) return;
    const own = this.model?.getWeights() ?? [];
    const saved = s.bestWeights;
    const fits =
      Array.isArray(saved) &&
      saved.length === own.length &&
      saved.every(
        (w, i) =>
          typeof w === 'object' &&
          w !== null &&
          w.data instanceof Float32Array &&
          Array.isArray(w.shape) &&
          w.shape.join() === own[i]!.shape.join() &&
          w.data.length === own[i]!.data.length,
      );
    if (!fits)
      throw stateError(`${where} bestWeights`, `${own.length} weights with the model's shapes, or null`, saved);
  }

  override setState(state: unknown): void {
    const s = state as EarlyStoppingState;
    this.wait = s.wait;
    this.best = s.best;
    this.bestEpoch = s.bestEpoch;
    this.stoppedEpoch = s.stoppedEpoch;
    this.bestWeights = s.bestWeights?.map((w) => ({ data: Float32Array.from(w.data), shape: [...w.shape] })) ?? null;
  }

  private snapshot(): Weights {
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
