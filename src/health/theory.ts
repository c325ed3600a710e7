/**
 * Variance propagation before any training: each layer's forward activation
 * mean/variance and the backward gradient's second moment, from the
 * initializers, activations, widths and normalization layers.
 *
 * Forward (Glorot & Bengio 2010 §4.2.1; He et al. 2015 eq. 7; mean-field form
 * of Poole et al. 2016 eq. 3): a Dense pre-activation z = W·x + b over n inputs
 * is Gaussian with  E[z] = n·ω·E[x] + E[b]  and
 *   Var[z] = n·s·E[x²] + ω²·n(n−1)·E[x]² + Var[b]     (s = Var[W], ω = E[W]),
 * and the next input moments are E[f(z)], E[f(z)²] by Gauss–Hermite quadrature
 * (activation-moments.ts) — for SELU this is the Klambauer et al. 2017 map g.
 * BatchNormalization resets to γ²·v/(v+ε) ≈ 1 (Ioffe & Szegedy 2015).
 *
 * Backward (Glorot & Bengio eq. 13; Schoenholz et al. 2017 eq. 7, with the
 * gradient-independence assumption): with δ = ∂L/∂z per example,
 *   E[δ_l²] = E[f'(z_l)²] · E[g_l²],   E[g_{l−1}²] = n_out·s·E[δ_l²]
 * and the kernel gradient of a batch-mean loss over B examples has
 *   ‖∇W_l‖² ≈ n_in·E[x²]·n_out·E[δ_l²] / B.
 * At a softmax + cross-entropy output δ = p − y, E‖p − y‖² taken by sampling.
 */
import type { Sequential } from '../nn/model.js';
import type { Layer, MomentStep, MomentTools, Moments } from '../nn/layers/index.js';
import { activationMoments } from './activation-moments.js';
import { weightMoments } from './initializer-moments.js';
import { softmaxMoments } from './softmax-delta.js';

/** Pooled input moments: E[x], E[x²], and E[x_a·x_b] for two different examples (≈ mean of squared per-feature
 * means).
 * */
export interface InputMoments {
  mean: number;
  secondMoment: number;
  crossMoment?: number;
}

export interface LayerPrediction {
  layer: string;
  className: string;
  /** Pre-activation mean and variance (layers that apply an activation). */
  preMean: number | null;
  preVariance: number | null;
  /** Output mean and variance, pooled over units and examples (what the probe's mean/std measure). */
  outputMean: number;
  outputVariance: number;
  /** E[(∂L/∂output)²] per unit and example; null when a layer above has no moment rule. */
  gradSecondMoment: number | null;
  /** Predicted ‖∂L/∂kernel‖ for a batch of `batchSize` (null without a kernel, or when the backward chain is
   * unknown).
   * */
  kernelGradNorm: number | null;
}

/** A layer the theory has no rule for: named, never treated as the identity. */
export interface UnknownLayer {
  layer: string;
  className: string;
  index: number;
}

export interface TheoryPrediction {
  batchSize: number;
  /** Predictions for the layers before the first unknown one (all layers when none is unknown). */
  layers: LayerPrediction[];
  /** Layers without a moment rule; predictions stop at the first (forward) and below the last (backward). */
  unknown: UnknownLayer[];
  /** ‖∇W_first‖ / ‖∇W_last‖ over the layers with a kernel (AUTOTRAINER's gradient-rate quantity). */
  firstLastGradRatio: number | null;
}

/** The doctor's numerical tools, lent to each layer's moment rule. */
export const MOMENT_TOOLS: MomentTools = {
  activation: (act, mean, variance, crossCovariance) => activationMoments(act, mean, variance, crossCovariance),
  weight: (initializer, shape) => weightMoments(initializer, [...shape]),
  softmax: (mean, variance, units) => softmaxMoments(mean, variance, units),
};

/**
 * Predicts every layer's statistics at initialization, from each layer's own moment rule.
 * @example predictVariances(model, { mean: 0, secondMoment: 1 }, { batchSize: 64 })
 */
export function predictVariances(
  model: Sequential,
  input: InputMoments,
  opts: { batchSize: number },
): TheoryPrediction {
  if (!model.built)
    throw new Error(
      `theory: model '${model.name}' is not built; give the first layer an inputShape or call build([features])`,
    );
  let x: Moments = { mean: input.mean, second: input.secondMoment, cross: input.crossMoment ?? input.mean ** 2 };
  const unknown: UnknownLayer[] = [];
  const steps: { layer: Layer; step: MomentStep; pred: LayerPrediction }[] = [];
  model.layers.forEach((layer, index) => {
    // Past the first unknown layer the moments are unknown too: the rest are only asked whether they have a rule.
    const step = layer.momentRule(unknown.length === 0 ? x : NEUTRAL, MOMENT_TOOLS);
    if (step === null) {
      unknown.push({ layer: layer.name, className: layer.className, index });
      return;
    }
    if (unknown.length > 0) return;
    const variance = Math.max(0, step.out.second - step.out.mean ** 2);
    steps.push({
      layer,
      step,
      pred: {
        layer: layer.name,
        className: layer.className,
        preMean: step.preMean ?? null,
        preVariance: step.preVariance ?? null,
        outputMean: step.out.mean,
        outputVariance: variance,
        gradSecondMoment: null,
        kernelGradNorm: null,
      },
    });
    x = step.out;
  });
  // Backward: the gradient w.r.t. the network output starts at 1 per unit; a softmax
  // output layer replaces it with E[δ²] of p − y at the logits. Only possible when every
  // layer has a rule (the chain from the loss down must be known).
  if (unknown.length === 0) {
    let g2 = 1;
    for (let i = steps.length - 1; i >= 0; i--) {
      const { step, pred } = steps[i]!;
      pred.gradSecondMoment = g2;
      const softmaxOut = i === steps.length - 1 && step.softmaxDelta2 !== undefined;
      const delta2 = softmaxOut ? step.softmaxDelta2! : step.d2 * g2;
      if (step.kernelFactor !== null) pred.kernelGradNorm = Math.sqrt((step.kernelFactor * delta2) / opts.batchSize);
      g2 = softmaxOut ? step.backward(delta2) : step.backward(g2);
    }
  }
  const layers = steps.map((s) => s.pred);
  const weighted = layers.filter((l) => l.kernelGradNorm !== null);
  const firstLastGradRatio =
    weighted.length >= 2 ? weighted[0]!.kernelGradNorm! / weighted.at(-1)!.kernelGradNorm! : null;
  return { batchSize: opts.batchSize, layers, unknown, firstLastGradRatio };
}

/** Moments to ask a layer past an unknown one with: only whether it has a rule matters. */
const NEUTRAL: Moments = { mean: 0, second: 1, cross: 0 };

/** Pooled moments of a data matrix [rows, features] (the network input); cross = mean over features of (feature
 * mean)².
 * */
export function inputMomentsOf(x: Float32Array, features: number): InputMoments {
  const rows = Math.max(1, Math.floor(x.length / Math.max(1, features)));
  const featureSum = new Float64Array(features);
  let s2 = 0;
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) {
      const v = x[r * features + f]!;
      featureSum[f] = featureSum[f]! + v;
      s2 += v * v;
    }
  }
  let s = 0,
    cross = 0;
  for (let f = 0; f < features; f++) {
    const m = featureSum[f]! / rows;
    s += m;
    cross += m * m;
  }
  return { mean: s / features, secondMoment: s2 / (rows * features), crossMoment: cross / features };
}
