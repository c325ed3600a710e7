/**
 * Callbacks that set the optimizer's learning rate (Keras `reduce_lr_on_plateau.py`,
 * `learning_rate_scheduler.py`). Both log the rate of the epoch as 'learning_rate' in the
 * epoch's logs (so in the history), as Keras 3 does.
 */
import { checkArg, checkArgs, formatValue, type ArgSpec } from '../../util/args.js';
import { Callback, isImprovement, resolveMode, stateError, type Logs, type TrainableModel } from './base.js';

/** The optimizer of a compiled model, when its learning rate is a plain number that can be set. */
function settableOptimizer(model: TrainableModel | null, who: string): { learningRate: number } {
  const compiled = (model as { compiled?: { optimizer?: unknown } | null } | null)?.compiled;
  const optimizer = compiled?.optimizer as { learningRate?: unknown } | undefined;
  if (optimizer === undefined || optimizer === null)
    throw new Error(`${who}: the model has no optimizer; compile it before fit`);
  // A schedule: the learning rate is not a number, or (Keel's optimizers) a number read from learningRateSchedule.
  const schedule = (optimizer as { learningRateSchedule?: unknown }).learningRateSchedule;
  if (typeof optimizer.learningRate !== 'number' || (schedule !== undefined && schedule !== null))
    throw new Error(
      `${who}: This optimizer was created with a LearningRateSchedule object as its learningRate, hence its ` +
        `learning rate is not settable.\nhelp: create the optimizer with a number learningRate to use ${who}, or ` +
        'let the schedule alone drive the rate.',
    );
  return optimizer as { learningRate: number };
}

/** Prints a callback's message (only when the user asked with verbose > 0). */
function say(verbose: number, message: string): void {
  if (verbose > 0) console.log(message);
}

export interface ReduceLROnPlateauArgs {
  /** Metric to watch. Default 'val_loss'. */
  monitor?: string;
  /** new rate = rate · factor; in (0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  /** 0: quiet; 1: print a line when the rate is reduced. Default 0. */
  verbose?: number;
  /** 'min', 'max' or 'auto' (max for names containing acc/auc, else min). */
  mode?: 'min' | 'max' | 'auto';
  /** Smallest change that counts as an improvement. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** Lower bound on the learning rate. Default 0. */
  minLr?: number;
}

const REDUCE_SPEC: ArgSpec = {
  monitor: { type: 'string', help: "the name of a logged metric, such as 'val_loss' or 'val_accuracy'." },
  factor: {
    type: 'number',
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
    help: 'new_lr = lr * factor; ReduceLROnPlateau does not support a factor >= 1 (it would not reduce).',
  },
  patience: { type: 'number', integer: true, min: 0, help: 'patience counts epochs without improvement.' },
  verbose: { type: 'number', integer: true, min: 0 },
  mode: { type: 'string', oneOf: ['auto', 'min', 'max'] },
  minDelta: {
    type: 'number',
    min: 0,
    help: 'minDelta is the smallest change that counts as an improvement (a non-negative number).',
  },
  cooldown: { type: 'number', integer: true, min: 0 },
  minLr: { type: 'number', min: 0 },
};

/** What ReduceLROnPlateau carries across a checkpoint. */
export interface ReduceLROnPlateauState {
  wait: number;
  cooldownCounter: number;
  best: number | null;
}

/**
 * Reduces the learning rate by `factor` when the monitored metric has not improved by more than `minDelta`
 * for `patience` epochs, then waits `cooldown` epochs before counting again; never below `minLr`.
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  private wait = 0;
  private cooldownCounter = 0;
  private best: number | null = null;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    super();
    checkArgs(args, REDUCE_SPEC, 'ReduceLROnPlateau');
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = args.factor ?? 0.1;
    this.patience = args.patience ?? 10;
    this.verbose = args.verbose ?? 0;
    this.mode = resolveMode(args.mode ?? 'auto', this.monitor);
    this.minDelta = Math.abs(args.minDelta ?? 1e-4);
    this.cooldown = args.cooldown ?? 0;
    this.minLr = args.minLr ?? 0;
  }

  override onTrainBegin(): void {
    settableOptimizer(this.model, 'ReduceLROnPlateau');
    this.best = null;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  private inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const optimizer = settableOptimizer(this.model, 'ReduceLROnPlateau');
    logs.learning_rate = optimizer.learningRate;
    const current = logs[this.monitor];
    if (current === undefined) return; // Keras warns and does nothing
    if (this.inCooldown()) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (isImprovement(this.mode, this.minDelta, current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown()) {
      this.wait++;
      if (this.wait >= this.patience) {
        const old = optimizer.learningRate;
        if (old > this.minLr) {
          optimizer.learningRate = Math.max(old * this.factor, this.minLr);
          say(
            this.verbose,
            `\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${optimizer.learningRate}.`,
          );
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }

  override getState(): ReduceLROnPlateauState {
    return { wait: this.wait, cooldownCounter: this.cooldownCounter, best: this.best };
  }

  override validateState(state: unknown, where: string): void {
    const s = state as Partial<ReduceLROnPlateauState> | null;
    if (typeof s !== 'object' || s === null) throw stateError(where, '{wait, cooldownCounter, best}', state);
    for (const k of ['wait', 'cooldownCounter'] as const) {
      if (!Number.isSafeInteger(s[k]) || s[k]! < 0) throw stateError(`${where} ${k}`, 'a non-negative integer', s[k]);
    }
    if (s.best !== null && (typeof s.best !== 'number' || Number.isNaN(s.best)))
      throw stateError(`${where} best`, 'a number or null', s.best);
  }

  override setState(state: unknown): void {
    const s = state as ReduceLROnPlateauState;
    this.wait = s.wait;
    this.cooldownCounter = s.cooldownCounter;
    this.best = s.best;
  }
}

/** (epoch index from 0, current learning rate) → the epoch's learning rate. */
export type LearningRateScheduleFn = (epoch: number, learningRate: number) => number;

export interface LearningRateSchedulerArgs {
  /** 0: quiet; 1: print the rate set at each epoch. Default 0. */
  verbose?: number;
}

const SCHEDULER_SPEC: ArgSpec = { verbose: { type: 'number', integer: true, min: 0 } };

/**
 * Sets the optimizer's learning rate at the beginning of every epoch to `schedule(epoch, currentRate)`.
 * @example new LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))
 */
export class LearningRateScheduler extends Callback {
  readonly schedule: LearningRateScheduleFn;
  readonly verbose: number;
  /** The epoch whose rate was last set (a run resumed in the middle of it does not apply the schedule twice). */
  private lastEpoch: number | null = null;

  constructor(schedule: LearningRateScheduleFn, args: LearningRateSchedulerArgs = {}) {
    super();
    if (typeof schedule !== 'function')
      throw new Error(
        `LearningRateScheduler: schedule must be a function (epoch, learningRate) => number; received ` +
          `${formatValue(schedule)}`,
      );
    checkArgs(args, SCHEDULER_SPEC, 'LearningRateScheduler');
    this.schedule = schedule;
    this.verbose = args.verbose ?? 0;
  }

  override onTrainBegin(): void {
    settableOptimizer(this.model, 'LearningRateScheduler');
    this.lastEpoch = null;
  }

  override onEpochBegin(epoch: number): void {
    if (this.lastEpoch === epoch) return;
    const optimizer = settableOptimizer(this.model, 'LearningRateScheduler');
    const rate = this.schedule(epoch, optimizer.learningRate);
    checkArg(
      rate,
      { type: 'number', min: 0, help: 'the schedule must return the learning rate as a finite number ≥ 0.' },
      `learning rate (the schedule's output at epoch ${epoch})`,
      'LearningRateScheduler',
    );
    if (rate === undefined) throw new Error(`LearningRateScheduler: the schedule returned undefined at epoch ${epoch}`);
    optimizer.learningRate = rate;
    this.lastEpoch = epoch;
    say(this.verbose, `\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${rate}.`);
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    logs.learning_rate = settableOptimizer(this.model, 'LearningRateScheduler').learningRate;
  }

  override getState(): { lastEpoch: number | null } {
    return { lastEpoch: this.lastEpoch };
  }

  override validateState(state: unknown, where: string): void {
    const s = state as { lastEpoch?: unknown } | null;
    if (
      typeof s !== 'object' ||
      s === null ||
      (s.lastEpoch !== null && !(Number.isSafeInteger(s.lastEpoch) && (s.lastEpoch as number) >= 0))
    )
      throw stateError(where, '{lastEpoch: a non-negative integer or null}', state);
  }

  override setState(state: unknown): void {
    this.lastEpoch = (state as { lastEpoch: number | null }).lastEpoch;
  }
}
