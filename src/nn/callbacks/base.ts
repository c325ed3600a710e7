/**
 * The callback base (Keras `keras.callbacks.Callback`): the event interface fit
 * calls, plus the state protocol checkpoints use (`getState` / `validateState` /
 * `setState`, as layers have) and the `restoreTraining` hook BackupAndRestore
 * uses to make fit continue from a backup.
 */
import type { FitResume } from '../training.js';
import { formatValue } from '../../util/args.js';

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
  /**
   * True for callbacks that write checkpoints (ModelCheckpoint, BackupAndRestore): fit runs them after the
   * others, and at an epoch's end after the history has recorded it, so that what they save holds the other
   * callbacks' updated state (EarlyStopping's counters, ReduceLROnPlateau's learning rate).
   */
  readonly writesCheckpoints: boolean = false;
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

  /**
   * State a checkpoint must carry so that a resumed run behaves as an uninterrupted one (counters, best
   * values), or null (the default: none). JSON values (non-finite numbers allowed) and Float32Arrays anywhere
   * inside; the checkpoint stores the arrays as tensors.
   */
  getState(): unknown {
    return null;
  }
  /** Throws (naming `where`) unless `state`, as getState returned it, can be restored into this callback. */
  validateState(_state: unknown, _where: string): void {}
  /** Restores a validated state; fit calls it after onTrainBegin (which resets it). */
  setState(_state: unknown): void {}
  /**
   * Called by fit once, after the model is built and set and before anything else: a callback may restore a
   * saved run into the model and return where fit should continue (BackupAndRestore); null: nothing to restore.
   * `callbacks` are all of fit's callbacks (their saved state is validated against them).
   */
  restoreTraining(_callbacks: readonly Callback[]): FitResume | null | Promise<FitResume | null> {
    return null;
  }
}

/** Keras-style callback object with any of the event methods. */
export type CallbackLike =
  | Callback
  | Partial<
      Pick<Callback, 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd'>
    >;

/** 'min' or 'max' for a monitored metric (auto: max for names containing acc/auc, else min). */
export function resolveMode(mode: 'min' | 'max' | 'auto', monitor: string): 'min' | 'max' {
  return mode === 'auto' ? (/acc|auc/.test(monitor) ? 'max' : 'min') : mode;
}

/** Keras `MonitorCallback._is_improvement`: better than `reference` by more than `minDelta` (null: no reference). */
export function isImprovement(mode: 'min' | 'max', minDelta: number, value: number, reference: number | null): boolean {
  if (reference === null) return true;
  return mode === 'min' ? value < reference - minDelta : value > reference + minDelta;
}

/** A callback's saved state, keyed by its class name and its index among the stateful callbacks of that class. */
export interface CallbackStateEntry {
  callback: string;
  index: number;
  state: unknown;
}

function className(c: Callback): string {
  return c.constructor.name;
}

/** The state of every callback that has one (getState() not null), keyed by class + index. */
export function collectCallbackState(callbacks: readonly Callback[]): CallbackStateEntry[] {
  const counts = new Map<string, number>();
  const out: CallbackStateEntry[] = [];
  for (const c of callbacks) {
    const state = c.getState();
    if (state === null || state === undefined) continue;
    const name = className(c);
    const index = counts.get(name) ?? 0;
    counts.set(name, index + 1);
    out.push({ callback: name, index, state });
  }
  return out;
}

/**
 * Pairs saved states with `callbacks` (same class, same index among that class's stateful callbacks) and
 * validates each; throws before anything is restored. A callback without a saved state starts afresh (it
 * was not in the run that saved); a saved state without a callback is not used (that callback was dropped).
 */
export function matchCallbackState(
  callbacks: readonly Callback[],
  saved: readonly CallbackStateEntry[],
  where: string,
): [Callback, unknown][] {
  const counts = new Map<string, number>();
  const pairs: [Callback, unknown][] = [];
  for (const c of callbacks) {
    const current = c.getState();
    if (current === null || current === undefined) continue;
    const name = className(c);
    const index = counts.get(name) ?? 0;
    counts.set(name, index + 1);
    const entry = saved.find((e) => e.callback === name && e.index === index);
    if (entry === undefined) continue;
    c.validateState(entry.state, `${where} callbackState ${name}#${index}`);
    pairs.push([c, entry.state]);
  }
  return pairs;
}

/** Error for a state that is not what a callback saves. */
export function stateError(where: string, expected: string, received: unknown): Error {
  return new Error(`${where}: expected ${expected}; received ${formatValue(received)}`);
}
