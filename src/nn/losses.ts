/**
 * Losses by Keras name. Each takes (yTrue, yPred) and returns a scalar tensor
 * averaged over the batch. Sparse labels are integer class ids of shape [batch].
 */
import type { Tensor } from '../tensor/tensor.js';
import { binaryCrossentropy, categoricalCrossentropy, meanSquaredError } from '../ops/losses.js';
import { Registry } from './registry.js';

export type LossIdentifier =
  | 'sparse_categorical_crossentropy' | 'categorical_crossentropy' | 'binary_crossentropy' | 'mean_squared_error' | 'mse'
  | 'sparseCategoricalCrossentropy' | 'categoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError';

export interface LossFunction {
  (yTrue: Tensor, yPred: Tensor): Tensor;
  readonly lossName: string;
}

function named(lossName: string, fn: (yTrue: Tensor, yPred: Tensor) => Tensor): LossFunction {
  Object.defineProperty(fn, 'lossName', { value: lossName });
  return fn as LossFunction;
}

export const sparseCategoricalCrossentropy = (yTrue: Tensor, yPred: Tensor, fromLogits = false): Tensor =>
  categoricalCrossentropy(yTrue, yPred, true, fromLogits);
export const categoricalCrossentropyLoss = (yTrue: Tensor, yPred: Tensor, fromLogits = false): Tensor =>
  categoricalCrossentropy(yTrue, yPred, false, fromLogits);
export const binaryCrossentropyLoss = (yTrue: Tensor, yPred: Tensor, fromLogits = false): Tensor =>
  binaryCrossentropy(yTrue, yPred, fromLogits);
export const meanSquaredErrorLoss = (yTrue: Tensor, yPred: Tensor): Tensor => meanSquaredError(yTrue, yPred);

const registry = new Registry<(fromLogits: boolean) => LossFunction>('loss');
registry.add('sparse_categorical_crossentropy', (l) => named('sparse_categorical_crossentropy', (t, p) => sparseCategoricalCrossentropy(t, p, l)));
registry.add('categorical_crossentropy', (l) => named('categorical_crossentropy', (t, p) => categoricalCrossentropyLoss(t, p, l)));
registry.add('binary_crossentropy', (l) => named('binary_crossentropy', (t, p) => binaryCrossentropyLoss(t, p, l)));
registry.add('mean_squared_error', () => named('mean_squared_error', meanSquaredErrorLoss), ['mse', 'MSE', 'MeanSquaredError']);

/** A loss by Keras name; `fromLogits` treats predictions as logits. */
export function get(identifier: LossIdentifier | string | LossFunction, fromLogits = false, where = 'loss'): LossFunction {
  if (typeof identifier === 'function') return identifier;
  return registry.get(identifier, where)(fromLogits);
}
