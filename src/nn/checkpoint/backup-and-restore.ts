/**
 * BackupAndRestore (Keras `keras.callbacks.BackupAndRestore`): backs the whole
 * training state up into `backupDir` (one crash-safe checkpoint, checkpoint.ts)
 * at each epoch's end or every `saveFreq` batches. When fit starts and a backup
 * exists, it is restored — weights, optimizer, generators, history, the other
 * callbacks' state — and fit continues from where the backup was taken (mid-epoch
 * too), without the user calling loadCheckpoint. When training ends the backup is
 * deleted (deleteCheckpoint). An interrupted fit (a thrown error, a killed process)
 * does not reach the end, so its backup stays for the next fit.
 *
 * The checkpoint is written atomically (temporary file, fsync, rename), so Keras's
 * doubleCheckpoint is not needed: a crash while writing leaves the previous backup.
 * Batch-frequency backups are placed by the global step, as ModelCheckpoint's.
 */
import { checkArgs, formatValue, type ArgSpec } from '../../util/args.js';
import { Callback, type Logs } from '../callbacks.js';
import type { Model } from '../functional.js';
import { fitProgressOf, type FitResume } from '../training.js';
import { nodeFs } from '../serialization/atomic.js';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { positionOf } from './model-checkpoint.js';

export interface BackupAndRestoreArgs {
  /** The directory holding the backup; used by nothing else (it is deleted at the end). */
  backupDir: string;
  /** 'epoch' (default): back up at each epoch's end; a number: every that many batches. */
  saveFreq?: 'epoch' | number;
  /** Delete the backup when training ends. Default true. */
  deleteCheckpoint?: boolean;
}

const SPEC: ArgSpec = {
  backupDir: { type: 'string', help: 'backupDir is the directory for the backup, e.g. "run/backup".' },
  saveFreq: { type: 'any' },
  deleteCheckpoint: { type: 'boolean' },
};

export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly deleteCheckpoint: boolean;
  override readonly writesCheckpoints = true;
  /** The position fit continued from in the last restore (null: no backup was found). */
  restoredFrom: { epoch: number; step: number } | null = null;

  constructor(args: BackupAndRestoreArgs) {
    super();
    checkArgs(args, SPEC, 'BackupAndRestore');
    if (typeof args?.backupDir !== 'string' || args.backupDir.length === 0)
      throw new Error(
        `BackupAndRestore: backupDir (a directory) is required; received ${formatValue(args?.backupDir)}`,
      );
    const freq = args.saveFreq ?? 'epoch';
    if (freq !== 'epoch' && !(typeof freq === 'number' && Number.isInteger(freq) && freq > 0))
      throw new Error(
        `Invalid saveFreq for BackupAndRestore: expected 'epoch' or a positive integer (batches); received ` +
          formatValue(args.saveFreq),
      );
    this.backupDir = args.backupDir;
    this.saveFreq = freq;
    this.deleteCheckpoint = args.deleteCheckpoint ?? true;
  }

  override async restoreTraining(callbacks: readonly Callback[]): Promise<FitResume | null> {
    this.restoredFrom = null;
    if (!(await hasCheckpoint(this.backupDir))) return null;
    const loaded = await loadCheckpoint(this.backupDir, this.model as Model, { callbacks });
    if (loaded.resume === null)
      throw new Error(`BackupAndRestore: the checkpoint in '${this.backupDir}' was not taken during fit`);
    this.restoredFrom = { epoch: loaded.resume.epoch, step: loaded.resume.step };
    return loaded.resume;
  }

  override async onBatchEnd(batch: number): Promise<void> {
    const p = fitProgressOf(this.model as Model);
    if (this.saveFreq === 'epoch' || p === undefined || !p.lastStepFinite) return;
    if ((p.epoch * p.stepsPerEpoch + batch + 1) % this.saveFreq !== 0) return;
    await this.save(false);
  }

  override async onEpochEnd(_epoch: number, _logs?: Logs): Promise<void> {
    const p = fitProgressOf(this.model as Model);
    if (this.saveFreq !== 'epoch' || p === undefined || p.history.nonFinite !== null) return;
    await this.save(true);
  }

  private async save(epochEnd: boolean): Promise<void> {
    const p = fitProgressOf(this.model as Model)!;
    await saveCheckpoint(this.backupDir, {
      model: this.model as Model,
      position: positionOf(p, epochEnd, this.model!.stopTraining),
      history: p.history,
      callbacks: p.callbacks,
    });
  }

  override async onTrainEnd(): Promise<void> {
    if (!this.deleteCheckpoint) return;
    const fs = await nodeFs();
    await fs.rm(this.backupDir, { recursive: true, force: true });
  }
}
