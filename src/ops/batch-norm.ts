/**
 * Batch normalization over the last axis (Ioffe & Szegedy 2015, Alg. 1; Keras
 * semantics: biased batch variance, ε inside the square root).
 */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';
import { kernels } from '../kernels/registry.js';

export interface BatchStatistics {
  mean: Float32Array;
  variance: Float32Array;
}

/**
 * Training mode: normalizes with the batch's own mean and variance and returns
 * them (the layer updates its moving averages from them).
 */
export function batchNormTrain(
  x: Tensor,
  gamma: Tensor | null,
  beta: Tensor | null,
  epsilon: number,
): { y: Tensor; stats: BatchStatistics } {
  const cols = x.shape[x.rank - 1]!;
  const rows = x.size / cols;
  const k = kernels();
  const out = alloc(x.size),
    xhat = alloc(x.size);
  const mean = alloc(cols),
    variance = alloc(cols),
    invStd = alloc(cols);
  k.batchNormTrainForward(
    x.data,
    gamma?.data ?? null,
    beta?.data ?? null,
    out,
    xhat,
    mean,
    variance,
    invStd,
    rows,
    cols,
    epsilon,
  );
  const inputs = [x, gamma, beta].filter((t): t is Tensor => t !== null);
  const y = record(new Tensor(out, x.shape), inputs, (dy) => {
    const dx = alloc(x.size),
      dgamma = alloc(cols),
      dbeta = alloc(cols);
    k.batchNormTrainBackward(dy, xhat, gamma?.data ?? null, invStd, dx, dgamma, dbeta, rows, cols);
    const grads: (Float32Array | null)[] = [x.requiresGrad ? dx : null];
    if (gamma !== null) grads.push(dgamma);
    if (beta !== null) grads.push(dbeta);
    return grads;
  });
  return { y, stats: { mean, variance } };
}

/** Inference mode: y = γ·(x − moving_mean)/sqrt(moving_variance + ε) + β. */
export function batchNormInference(
  x: Tensor,
  gamma: Tensor | null,
  beta: Tensor | null,
  movingMean: Tensor,
  movingVariance: Tensor,
  epsilon: number,
): Tensor {
  const cols = x.shape[x.rank - 1]!;
  const rows = x.size / cols;
  const k = kernels();
  const out = alloc(x.size);
  const g = gamma?.data ?? null,
    b = beta?.data ?? null;
  k.batchNormInference(x.data, movingMean.data, movingVariance.data, g, b, out, rows, cols, epsilon);
  const inputs = [x, gamma, beta].filter((t): t is Tensor => t !== null);
  return record(new Tensor(out, x.shape), inputs, (dy) => {
    const dx = alloc(x.size),
      dgamma = alloc(cols),
      dbeta = alloc(cols);
    k.batchNormInferenceBackward(
      dy,
      x.data,
      movingMean.data,
      movingVariance.data,
      g,
      dx,
      dgamma,
      dbeta,
      rows,
      cols,
      epsilon,
    );
    const grads: (Float32Array | null)[] = [dx];
    if (gamma !== null) grads.push(dgamma);
    if (beta !== null) grads.push(dbeta);
    return grads;
  });
}
