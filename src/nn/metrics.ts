/**
 * Accuracy, resolved as Keras resolves 'accuracy' from the loss: sparse
 * categorical (argmax vs integer label), categorical (argmax vs argmax) or
 * binary (prediction > 0.5 vs target).
 */
import type { Tensor } from '../tensor/tensor.js';

export type AccuracyKind = 'sparse_categorical' | 'categorical' | 'binary';

export function accuracyKindFor(lossName: string): AccuracyKind {
  if (lossName === 'sparse_categorical_crossentropy') return 'sparse_categorical';
  if (lossName === 'categorical_crossentropy') return 'categorical';
  return 'binary';
}

function argmaxRow(data: Float32Array, base: number, cols: number): number {
  let best = 0;
  for (let j = 1; j < cols; j++) if (data[base + j]! > data[base + best]!) best = j;
  return best;
}

/** The number of correct predictions in a batch (sum, so batches of any size can be averaged exactly). */
export function countCorrect(kind: AccuracyKind, yTrue: Tensor, yPred: Tensor): number {
  const cols = yPred.shape[yPred.rank - 1] ?? 1;
  const rows = yPred.size / cols;
  let correct = 0;
  if (kind === 'binary') {
    for (let i = 0; i < yPred.size; i++) if ((yPred.data[i]! > 0.5 ? 1 : 0) === (yTrue.data[i]! > 0.5 ? 1 : 0)) correct++;
    return correct / cols;
  }
  for (let r = 0; r < rows; r++) {
    const predicted = argmaxRow(yPred.data, r * cols, cols);
    const truth = kind === 'sparse_categorical' ? yTrue.data[r]! : argmaxRow(yTrue.data, r * cols, cols);
    if (predicted === truth) correct++;
  }
  return correct;
}
