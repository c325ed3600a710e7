/**
 * ModelCheckpoint (Keras `keras.callbacks.ModelCheckpoint`): saves a full
 * training checkpoint (checkpoint.ts) every epoch or every `saveFreq` batches,
 * optionally only when the monitored metric improves. Keel's checkpoint is a
 * directory; `filepath` may hold Keras-style fields: {epoch} / {epoch:02d}
 * (1-based, as Keras), {batch}, {step} (global steps done) and any log key such as {val_loss:.4f}.
 *
 * Batch-frequency saves are placed by the global step ((epoch·steps + batch + 1)
 * % saveFreq === 0) rather than a counter, so a resumed run saves at the same
 * steps as an uninterrupted one. A step whose loss, gradient or weight became
 * non-finite is never checkpointed.
 *
 * The checkpoint holds the state of fit's other callbacks too (EarlyStopping,
 * ReduceLROnPlateau, ...): fit runs checkpoint writers after the other callbacks.
 */
import { Callback, type Logs } from '../callbacks.js';
import type { Model } from '../functional.js';
import { fitProgressOf, type FitProgress } from '../training.js';
import { getGlobalRandom } from '../../tensor/rng.js';
import { checkArgs, formatValue, type ArgSpec } from '../../util/args.js';
import { saveCheckpoint, type CheckpointPosition } from './checkpoint.js';

export interface ModelCheckpointArgs {
  /** Checkpoint directory, possibly with {epoch}, {batch} and {metric:fmt} fields. */
  filepath: string;
  /** Metric for saveBestOnly. Default 'val_loss'. */
  monitor?: string;
  /** Save only when `monitor` improves on the best seen. Default false. */
  saveBestOnly?: boolean;
  /** 'min', 'max' or 'auto' (max for names containing acc/auc). */
  mode?: 'min' | 'max' | 'auto';
  /** 'epoch' (default) or a number of batches. */
  saveFreq?: 'epoch' | number;
  /** A value the monitored metric must beat for the first save (Keras initial_value_threshold). */
  initialValueThreshold?: number | null;
  /** Saved with each checkpoint (see CheckpointState.fingerprint). */
  fingerprint?: Record<string, string>;
}

const MODEL_CHECKPOINT_SPEC: ArgSpec = {
  filepath: { type: 'string' },
  monitor: { type: 'string' },
  saveBestOnly: { type: 'boolean' },
  mode: { type: 'string', oneOf: ['min', 'max', 'auto'] },
  saveFreq: { type: 'any' },
  initialValueThreshold: { type: 'number', nullable: true, allowInfinity: true },
  fingerprint: { type: 'any' },
};

/** Formats Keras-style fields: {epoch}, {epoch:02d}, {val_loss:.2f}. Unknown fields are an error. */
export function formatFilepath(template: string, values: Record<string, number>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g, (_m, key: string, fmt: string | undefined) => {
    const v = values[key];
    if (v === undefined)
      throw new Error(
        `ModelCheckpoint: filepath field {${key}} has no value; known: ${Object.keys(values).join(', ')}`,
      );
    if (fmt === undefined || fmt === '') return String(v);
    const int = /^0?(\d+)d$/.exec(fmt);
    if (int) return String(Math.trunc(v)).padStart(Number(int[1]), fmt.startsWith('0') ? '0' : ' ');
    const fixed = /^\.(\d+)f$/.exec(fmt);
    if (fixed) return v.toFixed(Number(fixed[1]));
    throw new Error(`ModelCheckpoint: unsupported format '${fmt}' in filepath field {${key}} (use d, 0Nd or .Nf)`);
  });
}

export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly mode: 'min' | 'max';
  readonly saveFreq: 'epoch' | number;
  readonly fingerprint: Record<string, string> | undefined;
  /** Best monitored value so far (saveBestOnly). */
  best: number;
  /** Directories written, in order. */
  readonly saved: string[] = [];
  override readonly writesCheckpoints = true;

  constructor(args: ModelCheckpointArgs) {
    super();
    args = checkArgs(args, MODEL_CHECKPOINT_SPEC, 'ModelCheckpoint');
    if (typeof args.filepath !== 'string' || args.filepath.length === 0)
      throw new Error('ModelCheckpoint: filepath (a checkpoint directory) is required');
    this.filepath = args.filepath;
    this.monitor = args.monitor ?? 'val_loss';
    this.saveBestOnly = args.saveBestOnly ?? false;
    const mode = args.mode ?? 'auto';
    if (!['min', 'max', 'auto'].includes(mode))
      throw new Error(`ModelCheckpoint: mode must be 'min', 'max' or 'auto'; received ${JSON.stringify(mode)}`);
    this.mode = mode === 'auto' ? (/acc|auc/.test(this.monitor) ? 'max' : 'min') : mode;
    this.saveFreq = args.saveFreq ?? 'epoch';
    if (this.saveFreq !== 'epoch' && !(Number.isInteger(this.saveFreq) && this.saveFreq > 0))
      throw new Error(
        `ModelCheckpoint: saveFreq must be 'epoch' or a positive integer number of batches; received ` +
          `${JSON.stringify(args.saveFreq)}`,
      );
    this.best = args.initialValueThreshold ?? (this.mode === 'min' ? Infinity : -Infinity);
    this.fingerprint = args.fingerprint;
  }

  private progress(): FitProgress | undefined {
    return fitProgressOf(this.model as Model);
  }

  override async onBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    const p = this.progress();
    if (this.saveFreq === 'epoch' || p === undefined || !p.lastStepFinite) return;
    if ((p.epoch * p.stepsPerEpoch + batch + 1) % this.saveFreq !== 0) return;
    await this.maybeSave(p, false, {
      ...logs,
      epoch: p.epoch + 1,
      batch: batch + 1,
      step: p.epoch * p.stepsPerEpoch + batch + 1,
    });
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const p = this.progress();
    if (this.saveFreq !== 'epoch' || p === undefined || p.history.nonFinite !== null) return;
    await this.maybeSave(p, true, {
      ...logs,
      epoch: epoch + 1,
      batch: p.stepsPerEpoch,
      step: (epoch + 1) * p.stepsPerEpoch,
    });
  }

  private async maybeSave(p: FitProgress, epochEnd: boolean, values: Record<string, number>): Promise<void> {
    if (this.saveBestOnly) {
      const v = values[this.monitor];
      if (v === undefined || !Number.isFinite(v)) return; // Keras warns and skips when the metric is missing
      if (!(this.mode === 'min' ? v < this.best : v > this.best)) return;
      this.best = v;
    }
    const dir = formatFilepath(this.filepath, values);
    await saveCheckpoint(dir, {
      model: this.model as Model,
      position: positionOf(p, epochEnd, this.model!.stopTraining),
      history: p.history,
      callbacks: p.callbacks,
      ...(this.fingerprint !== undefined ? { fingerprint: this.fingerprint } : {}),
    });
    this.saved.push(dir);
  }

  /** saveBestOnly's best value (so a resumed run saves when the uninterrupted one would); null without it. */
  override getState(): { best: number } | null {
    return this.saveBestOnly ? { best: this.best } : null;
  }
  override validateState(state: unknown, where: string): void {
    const best = (state as { best?: unknown } | null)?.best;
    if (typeof best !== 'number' || Number.isNaN(best))
      throw new Error(`${where}: expected {best: a number}; received ${formatValue(state)}`);
  }
  override setState(state: unknown): void {
    this.best = (state as { best: number }).best;
  }
}

/**
 * The resume point. After a batch: this epoch, `step` batches done, the epoch's
 * pre-shuffle generator state. At an epoch's end: the next epoch from its start,
 * whose pre-shuffle state is the generator's state now.
 */
export function positionOf(p: FitProgress, epochEnd: boolean, stopTraining = false): CheckpointPosition {
  const stopped = stopTraining ? { stopTraining: true } : {};
  if (epochEnd) {
    return {
      ...stopped,
      epoch: p.epoch + 1,
      step: 0,
      stepsPerEpoch: p.stepsPerEpoch,
      samples: p.samples,
      epochStartRng: getGlobalRandom().getState(),
      lossSum: 0,
      correctSum: 0,
      correctSums: p.correctSums.map(() => 0),
      seen: 0,
    };
  }
  return {
    ...stopped,
    epoch: p.epoch,
    step: p.step,
    stepsPerEpoch: p.stepsPerEpoch,
    samples: p.samples,
    epochStartRng: p.epochStartRng,
    lossSum: p.lossSum,
    correctSum: p.correctSum,
    correctSums: [...p.correctSums],
    seen: p.seen,
  };
}
