/** Training checkpoints, the ModelCheckpoint callback and the NaN rollback policy (see docs/interop.md). */
export {
  saveCheckpoint,
  loadCheckpoint,
  hasCheckpoint,
  type CheckpointState,
  type LoadedCheckpoint,
  type CheckpointPosition,
} from './checkpoint.js';
export { ModelCheckpoint, formatFilepath, type ModelCheckpointArgs } from './model-checkpoint.js';
export { CHECKPOINT_FILE } from './format.js';
export { BackupAndRestore, type BackupAndRestoreArgs } from './backup-and-restore.js';
