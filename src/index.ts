/**
 * Keel's public API: re-exports only (plus registering the terminal progress bar for fit).
 * @example
 *   import { tensor, setSeed, Sequential, layers, initializers, activations, optimizers } from 'keel';
 */
import { setProgressFactory } from './nn/training.js';
import { ProgressLogger } from './report/progress.js';

export { Tensor, tensor, zeros, ones, type NestedArray } from './tensor/tensor.js';
export { setSeed, getGlobalRandom, Random, type RandomState } from './tensor/rng.js';
export { Variable } from './autograd/variable.js';
export { valueAndGrads } from './autograd/value-and-grads.js';
export * as ops from './ops/index.js';
export * as layers from './nn/layers/index.js';
export { registerLayer } from './nn/layers/index.js';
export * as initializers from './nn/initializers/index.js';
export * as activations from './nn/activations.js';
export * as regularizers from './nn/regularizers.js';
export * as constraints from './nn/constraints.js';
export * as optimizers from './nn/optimizers/index.js';
export * as losses from './nn/losses.js';
export { Sequential, type CompileArgs, type FitArgs, type PredictArgs } from './nn/model.js';
export { Model, type ModelArgs, type ModelData } from './nn/functional.js';
export { input, SymbolicTensor, type InputArgs } from './nn/graph/symbolic.js';
export {
  Callback,
  EarlyStopping,
  TerminateOnNaN,
  ReduceLROnPlateau,
  LearningRateScheduler,
  CSVLogger,
  LambdaCallback,
  type Logs,
  type CallbackLike,
} from './nn/callbacks.js';
export { History } from './nn/history.js';
export type { StepObserver, StepView } from './nn/training.js';
export { setKernelBackend, kernels } from './kernels/registry.js';
export type { KernelBackend } from './kernels/backend.js';
export { ProgressLogger } from './report/progress.js';
export * as health from './health/index.js';
export * as datasets from './datasets/index.js';

if (typeof process !== 'undefined' && process.stdout !== undefined) {
  setProgressFactory((verbose) => new ProgressLogger(verbose));
}
export {
  saveModel,
  loadModel,
  modelFromKerasJson,
  modelToArtifacts,
  modelFromArtifacts,
} from './nn/serialization/index.js';
/** Tensors to and from .safetensors bytes (e.g. a data file for examples/pytorch-ddp); no file system needed. */
export {
  encodeSafetensors,
  parseSafetensorsHeader,
  readSafetensor,
  type NamedTensor,
} from './io/model-files/safetensors.js';
export {
  ModelCheckpoint,
  BackupAndRestore,
  saveCheckpoint,
  loadCheckpoint,
  type ModelCheckpointArgs,
  type LoadedCheckpoint,
} from './nn/checkpoint/index.js';
export type { FitResume } from './nn/training.js';
export { NonFiniteTrainingError } from './nn/training.js';
