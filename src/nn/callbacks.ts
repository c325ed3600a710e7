/**
 * Training callbacks (Keras `keras.callbacks`): the event interface (callbacks/base.ts) and the
 * built-in callbacks, one file per family under callbacks/. ModelCheckpoint and BackupAndRestore
 * live with the checkpoint code (nn/checkpoint). Later tools (the gradient monitor, progress bars)
 * are callbacks too.
 */
export {
  Callback,
  collectCallbackState,
  matchCallbackState,
  type CallbackLike,
  type CallbackStateEntry,
  type Logs,
  type TrainableModel,
  type TrainingParams,
} from './callbacks/base.js';
export {
  EarlyStopping,
  TerminateOnNaN,
  type EarlyStoppingArgs,
  type EarlyStoppingState,
} from './callbacks/early-stopping.js';
export {
  ReduceLROnPlateau,
  LearningRateScheduler,
  type ReduceLROnPlateauArgs,
  type ReduceLROnPlateauState,
  type LearningRateScheduleFn,
  type LearningRateSchedulerArgs,
} from './callbacks/learning-rate.js';
export { CSVLogger, type CSVLoggerArgs } from './callbacks/csv-logger.js';
export { LambdaCallback, type LambdaCallbackArgs } from './callbacks/lambda.js';
