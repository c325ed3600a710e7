/**
 * Losses as fused ops with hand-written gradients, Keras 3 semantics
 * (`keras/src/losses/losses.py`, backend `nn.py`): per-sample losses averaged
 * over the batch ("sum_over_batch_size"). When the prediction is a softmax or
 * sigmoid output, the cross-entropies work from its logits, as Keras does with
 * `_keras_logits`, which is exact and stable.
 */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';
import { kernels } from '../kernels/registry.js';
import { formatShape } from '../tensor/shape.js';

/** Keras's backend epsilon: probabilities are clipped to [ε, 1 − ε] before the log. */
const EPSILON = 1e-7;

function scalar(value: number): Tensor {
  const d = alloc(1);
  d[0] = value;
  return new Tensor(d, []);
}

function checkLabels(labels: Tensor, rows: number, classes: number, who: string): void {
  if (labels.size !== rows)
    throw new Error(
      `${who}: expected ${rows} integer labels for predictions of ${rows} rows; received labels of shape ` +
        `${formatShape(labels.shape)}`,
    );
  for (let i = 0; i < rows; i++) {
    const c = labels.data[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= classes)
      throw new Error(`${who}: label ${c} at row ${i} is not a class id in [0, ${classes})`);
  }
}

/**
 * Categorical cross-entropy with integer labels (sparse) or per-class targets (dense).
 * `targets` is [rows] for sparse, [rows, classes] otherwise.
 */
export function categoricalCrossentropy(targets: Tensor, pred: Tensor, sparse: boolean, fromLogits: boolean): Tensor {
  const who = sparse ? 'sparse_categorical_crossentropy' : 'categorical_crossentropy';
  const classes = pred.shape[pred.rank - 1]!;
  const rows = pred.size / classes;
  if (sparse) checkLabels(targets, rows, classes, who);
  else if (targets.size !== pred.size)
    throw new Error(
      `${who}: targets ${formatShape(targets.shape)} and predictions ${formatShape(pred.shape)} differ in size`,
    );
  const target = (r: number, j: number): number =>
    sparse ? (targets.data[r] === j ? 1 : 0) : targets.data[r * classes + j]!;

  const logitsSource = fromLogits ? pred : pred.logits?.kind === 'softmax' ? pred.logits.tensor : null;
  if (logitsSource !== null) {
    const k = kernels();
    const z = logitsSource.data;
    // A softmax output already holds softmax(z), from the same kernel; raw logits need it computed.
    let probs = pred.data;
    if (fromLogits) {
      probs = alloc(pred.size);
      k.softmax(z, probs, rows, classes);
    }
    const total = k.softmaxCrossEntropy(z, targets.data, sparse, rows, classes);
    return record(scalar(total / rows), [logitsSource], (dy) => {
      const g = alloc(pred.size);
      k.softmaxCrossEntropyBackward(probs, targets.data, sparse, g, rows, classes, dy[0]! / rows);
      return [g];
    });
  }

  // From probabilities: normalize each row to sum 1, clip, log (Keras backend categorical_crossentropy).
  const p = pred.data;
  const rowSums = alloc(rows);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < classes; j++) s += p[r * classes + j]!;
    rowSums[r] = s;
    for (let j = 0; j < classes; j++) {
      const t = target(r, j);
      if (t !== 0) total -= t * Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, p[r * classes + j]! / s)));
    }
  }
  return record(scalar(total / rows), [pred], (dy) => {
    const g = alloc(pred.size);
    const scale = dy[0]! / rows;
    for (let r = 0; r < rows; r++) {
      const s = rowSums[r]!;
      // dL/dp_j = Σ_i t_i·(−δ_ij/p_i + 1/s) over unclipped i.
      let common = 0;
      for (let i = 0; i < classes; i++) {
        const q = p[r * classes + i]! / s;
        if (q > EPSILON && q < 1 - EPSILON) common += target(r, i) / s;
      }
      for (let j = 0; j < classes; j++) {
        const q = p[r * classes + j]! / s;
        const own = q > EPSILON && q < 1 - EPSILON ? -target(r, j) / p[r * classes + j]! : 0;
        g[r * classes + j] = scale * (own + common);
      }
    }
    return [g];
  });
}

/** Binary cross-entropy averaged over all elements (mean over the last axis, then over the batch). */
export function binaryCrossentropy(targets: Tensor, pred: Tensor, fromLogits: boolean): Tensor {
  if (targets.size !== pred.size)
    throw new Error(
      `binary_crossentropy: targets ${formatShape(targets.shape)} and predictions ${formatShape(pred.shape)} ` +
        `differ in size`,
    );
  const n = pred.size;
  const t = targets.data;
  const logitsSource = fromLogits ? pred : pred.logits?.kind === 'sigmoid' ? pred.logits.tensor : null;
  if (logitsSource !== null) {
    const k = kernels();
    const z = logitsSource.data;
    // Stable form: max(z, 0) − z·t + log(1 + e^(−|z|)).
    const total = k.sigmoidCrossEntropy(z, t, n);
    return record(scalar(total / n), [logitsSource], (dy) => {
      const g = alloc(n);
      k.sigmoidCrossEntropyBackward(z, t, g, n, dy[0]! / n);
      return [g];
    });
  }
  const p = pred.data;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const q = Math.min(1 - EPSILON, Math.max(EPSILON, p[i]!));
    total -= t[i]! * Math.log(q) + (1 - t[i]!) * Math.log(1 - q);
  }
  return record(scalar(total / n), [pred], (dy) => {
    const g = alloc(n);
    for (let i = 0; i < n; i++) {
      const q = p[i]!;
      g[i] = q > EPSILON && q < 1 - EPSILON ? (dy[0]! / n) * (-t[i]! / q + (1 - t[i]!) / (1 - q)) : 0;
    }
    return [g];
  });
}

/** Mean squared error over all elements. */
export function meanSquaredError(targets: Tensor, pred: Tensor): Tensor {
  if (targets.size !== pred.size)
    throw new Error(
      `mean_squared_error: targets ${formatShape(targets.shape)} and predictions ${formatShape(pred.shape)} ` +
        `differ in size`,
    );
  const n = pred.size;
  const k = kernels();
  const total = k.squaredError(pred.data, targets.data, n);
  return record(scalar(total / n), [pred], (dy) => {
    const g = alloc(n);
    k.squaredErrorBackward(pred.data, targets.data, g, n, (dy[0]! * 2) / n);
    return [g];
  });
}
