/**
 * The accuracy metrics, by Keras name (`keras/src/metrics/__init__.py`: class names and
 * their snake_case forms), and 'accuracy'/'acc', which Keras 3 resolves from the shapes
 * of the targets and predictions (`keras/src/trainers/compile_utils.py` get_metric and
 * is_binary_or_sparse_categorical), not from the loss.
 */
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { Registry } from './registry.js';

/** Metric identifiers Keel implements (Keras 3 spellings). */
export type MetricIdentifier =
  | 'accuracy'
  | 'acc'
  | 'binary_accuracy'
  | 'BinaryAccuracy'
  | 'categorical_accuracy'
  | 'CategoricalAccuracy'
  | 'sparse_categorical_accuracy'
  | 'SparseCategoricalAccuracy';

export type AccuracyKind = 'sparse_categorical' | 'categorical' | 'binary';

/** A compiled metric: the name it is logged under and its kind ('auto': resolved from the data's shapes). */
export interface MetricSpec {
  name: string;
  kind: AccuracyKind | 'auto';
}

const registry = new Registry<AccuracyKind | 'auto'>('metric');
registry.add('accuracy', 'auto', ['acc']);
registry.add('binary_accuracy', 'binary', ['BinaryAccuracy']);
registry.add('categorical_accuracy', 'categorical', ['CategoricalAccuracy']);
registry.add('sparse_categorical_accuracy', 'sparse_categorical', ['SparseCategoricalAccuracy']);

/**
 * A metric by Keras identifier. As in Keras 3, it is logged under the identifier as
 * written ('acc' logs 'acc'), and 'accuracy'/'acc' are matched case-insensitively.
 */
export function getMetric(identifier: MetricIdentifier | string, where = 'metrics'): MetricSpec {
  if (typeof identifier !== 'string')
    throw new Error(`${where}: expected a metric name such as 'accuracy'; received ${JSON.stringify(identifier)}`);
  const lower = identifier.toLowerCase();
  if (lower === 'accuracy' || lower === 'acc') return { name: identifier, kind: 'auto' };
  return { name: identifier, kind: registry.get(identifier, where) };
}

export function metricNames(): readonly string[] {
  return registry.names();
}

/**
 * Which accuracy 'accuracy' means for these targets and predictions (Keras 3
 * is_binary_or_sparse_categorical): binary when the prediction's last dimension
 * is 1; else sparse categorical when the targets have lower rank than the
 * predictions, or a last dimension of 1 against a wider prediction; else categorical.
 */
export function resolveAccuracy(yTrueShape: readonly number[], yPredShape: readonly number[]): AccuracyKind {
  const tLast = yTrueShape[yTrueShape.length - 1],
    pLast = yPredShape[yPredShape.length - 1];
  if (pLast === 1) return 'binary';
  if (yTrueShape.length < yPredShape.length || (tLast === 1 && pLast! > 1)) return 'sparse_categorical';
  return 'categorical';
}

/** The metric's kind for this batch ('auto' resolved from the shapes). */
export function metricKind(spec: MetricSpec, yTrue: Tensor, yPred: Tensor): AccuracyKind {
  return spec.kind === 'auto' ? resolveAccuracy(yTrue.shape, yPred.shape) : spec.kind;
}

function argmaxRow(data: Float32Array, base: number, cols: number): number {
  let best = 0;
  for (let j = 1; j < cols; j++) if (data[base + j]! > data[base + best]!) best = j;
  return best;
}

/**
 * The number of correct predictions in a batch (a sum, so batches of any size average exactly);
 * for binary accuracy, the mean over each row's elements, summed over rows.
 * Formulas: keras/src/metrics/accuracy_metrics.py —
 *   binary_accuracy: equal(y_true, y_pred > 0.5) (the target itself is not thresholded);
 *   categorical_accuracy: equal(argmax(y_true), argmax(y_pred));
 *   sparse_categorical_accuracy: equal(y_true, argmax(y_pred)).
 */
export function countCorrect(
  kind: AccuracyKind,
  yTrue: Tensor,
  yPred: Tensor,
  name: string = kind + '_accuracy',
): number {
  const cols = yPred.shape[yPred.rank - 1] ?? 1;
  const rows = yPred.size / cols;
  const mismatch = (want: string) =>
    new Error(
      `${name}: ${want}; received targets ${formatShape(yTrue.shape)} for predictions ${formatShape(yPred.shape)}`,
    );
  let correct = 0;
  if (kind === 'binary') {
    // One target per element, or one per row compared with each element (Keras expands the rank, then broadcasts).
    const perRow = yTrue.size !== yPred.size;
    if (perRow && yTrue.size !== rows)
      throw mismatch('binary accuracy needs one target per prediction element or per row');
    for (let i = 0; i < yPred.size; i++) {
      const t = yTrue.data[perRow ? Math.floor(i / cols) : i]!;
      if (t === (yPred.data[i]! > 0.5 ? 1 : 0)) correct++;
    }
    return correct / cols;
  }
  if (kind === 'sparse_categorical' && yTrue.size !== rows)
    throw mismatch('sparse categorical accuracy needs one integer label per row');
  if (kind === 'categorical' && yTrue.size !== yPred.size)
    throw mismatch("categorical accuracy needs targets of the predictions' shape (one-hot)");
  for (let r = 0; r < rows; r++) {
    const predicted = argmaxRow(yPred.data, r * cols, cols);
    const truth = kind === 'sparse_categorical' ? yTrue.data[r]! : argmaxRow(yTrue.data, r * cols, cols);
    if (predicted === truth) correct++;
  }
  return correct;
}
