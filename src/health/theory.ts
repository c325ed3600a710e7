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
import type { Layer } from '../nn/layers/layer.js';
import { Dense } from '../nn/layers/dense.js';
import { BatchNormalization } from '../nn/layers/batch-normalization.js';
import { Dropout } from '../nn/layers/dropout.js';
import { AlphaDropout } from '../nn/layers/alpha-dropout.js';
import { Activation } from '../nn/layers/activation.js';
import { ELU, LeakyReLU, PReLU } from '../nn/layers/advanced-activations.js';
import { SELU_ALPHA, SELU_LAMBDA } from '../nn/activation-formulas.js';
import { ActivationCode } from '../nn/activation-formulas.js';
import { activationMoments, type ActivationRef } from './activation-moments.js';
import { weightMoments } from './initializer-moments.js';
import { softmaxMoments } from './softmax-delta.js';

/** Pooled input moments: E[x], E[x²], and E[x_a·x_b] for two different examples (≈ mean of squared per-feature means). */
export interface InputMoments { mean: number; secondMoment: number; crossMoment?: number }

export interface LayerPrediction {
  layer: string;
  className: string;
  /** Pre-activation mean and variance (Dense and activation layers). */
  preMean: number | null;
  preVariance: number | null;
  /** Output mean and variance, pooled over units and examples (what the probe's mean/std measure). */
  outputMean: number;
  outputVariance: number;
  /** E[(∂L/∂output)²] per unit and example. */
  gradSecondMoment: number;
  /** Predicted ‖∂L/∂kernel‖ for a batch of `batchSize` (null without a kernel). */
  kernelGradNorm: number | null;
}

export interface TheoryPrediction {
  batchSize: number;
  layers: LayerPrediction[];
  /** ‖∇W_first‖ / ‖∇W_last‖ over the Dense layers (AUTOTRAINER's gradient-rate quantity). */
  firstLastGradRatio: number | null;
}

/** Moments of a layer's output: E[x], E[x²], and E[x_a·x_b] across two examples (its within-unit batch variance is second − cross). */
interface Forward { mean: number; second: number; cross: number }
interface Step { pred: LayerPrediction; out: Forward; d2: number; backward: (g2: number) => number; kernelFactor: number | null }

const variance = (f: Forward) => Math.max(0, f.second - f.mean * f.mean);
const crossCov = (f: Forward) => Math.max(0, f.cross - f.mean * f.mean);

function activationRefOf(layer: Layer): ActivationRef | 'softmax' | null {
  if (layer instanceof Dense || layer instanceof Activation) {
    const spec = layer.activation.spec;
    return spec.code === 'softmax' ? 'softmax' : { code: spec.code, param: spec.param };
  }
  if (layer instanceof ELU) return { code: ActivationCode.Elu, param: layer.alpha };
  if (layer instanceof LeakyReLU) return { code: ActivationCode.LeakyRelu, param: layer.negativeSlope };
  if (layer instanceof PReLU) {
    const a = weightMoments(layer.alphaInitializer, [1]).mean;
    return { code: ActivationCode.LeakyRelu, param: a };
  }
  return null;
}

/** One layer's forward moments, and how it maps the backward second moment. */
function stepThrough(layer: Layer, x: Forward): Step {
  const base = { layer: layer.name, className: layer.className, preMean: null, preVariance: null, gradSecondMoment: 0, kernelGradNorm: null };
  const act = activationRefOf(layer);
  if (layer instanceof Dense) {
    const n = layer.kernel!.shape[0]!, units = layer.units;
    const w = weightMoments(layer.kernelInitializer, layer.kernel!.shape);
    const b = layer.useBias ? weightMoments(layer.biasInitializer, [units]) : { mean: 0, variance: 0 };
    const preMean = n * w.mean * x.mean + b.mean;
    const unitLevel = w.mean ** 2 * n * Math.max(0, n - 1) * x.mean ** 2 + b.variance;
    const preVar = n * w.variance * x.second + w.mean ** 2 * n * variance(x) + unitLevel;
    const preCross = Math.min(preVar, n * w.variance * x.cross + unitLevel);
    const wSecond = w.variance + w.mean ** 2;
    const kernelFactor = n * x.second * units;
    if (act === 'softmax') {
      const sm = softmaxMoments(preMean, preVar, units), d2 = sm.deltaSecondMoment;
      return {
        pred: { ...base, preMean, preVariance: preVar, outputMean: 1 / units, outputVariance: sm.outputVariance }, out: { mean: 1 / units, second: sm.outputVariance + 1 / units ** 2, cross: 1 / units ** 2 }, d2,
        backward: () => units * wSecond * d2, kernelFactor,
      };
    }
    const m = activationMoments(act as ActivationRef, preMean, preVar, preCross);
    return {
      pred: { ...base, preMean, preVariance: preVar, outputMean: m.mean, outputVariance: Math.max(0, m.secondMoment - m.mean ** 2) },
      out: { mean: m.mean, second: m.secondMoment, cross: m.crossMoment },
      d2: m.derivativeSecondMoment, backward: (g2) => units * wSecond * m.derivativeSecondMoment * g2, kernelFactor,
    };
  }
  if (layer instanceof BatchNormalization) {
    // Normalizes each unit by its own batch statistics: the within-unit batch
    // variance (second − cross), not the pooled one. γ, β as initialized.
    const g2 = layer.gamma ? meanSquare(layer.gamma.data) : 1;
    const beta = layer.beta ? meanOf(layer.beta.data) : 0;
    const v = Math.max(0, x.second - x.cross), scale = g2 * v / (v + layer.epsilon);
    return {
      pred: { ...base, outputMean: beta, outputVariance: scale }, out: { mean: beta, second: scale + beta * beta, cross: beta * beta }, d2: 1,
      backward: (g) => g * g2 / (v + layer.epsilon), kernelFactor: null,
    };
  }
  if (layer instanceof AlphaDropout) {
    // Keras AlphaDropout: y = a·(x·m + α′(1 − m)) + b, α′ = −λα, a = (q(1 + p·α′²))^(−1/2), b = −a·α′·p.
    const p = layer.rate, q = 1 - p, ap = -SELU_LAMBDA * SELU_ALPHA;
    const a = 1 / Math.sqrt(q * (1 + p * ap * ap)), b = -a * ap * p;
    const ey = q * x.mean + p * ap, ey2 = q * x.second + p * ap * ap, eyy = q * q * x.cross + 2 * q * p * ap * x.mean + p * p * ap * ap;
    const mean = a * ey + b, second = a * a * ey2 + 2 * a * b * ey + b * b, cross = a * a * eyy + 2 * a * b * ey + b * b;
    return { pred: { ...base, outputMean: mean, outputVariance: Math.max(0, second - mean * mean) }, out: { mean, second, cross }, d2: 1, backward: (g) => a * a * q * g, kernelFactor: null };
  }
  if (layer instanceof Dropout) {
    const keep = 1 - layer.rate, second = x.second / keep;
    return { pred: { ...base, outputMean: x.mean, outputVariance: Math.max(0, second - x.mean ** 2) }, out: { ...x, second }, d2: 1, backward: (g) => g / keep, kernelFactor: null };
  }
  if (act !== null && act !== 'softmax') {
    const m = activationMoments(act, x.mean, variance(x), crossCov(x));
    return {
      pred: { ...base, preMean: x.mean, preVariance: variance(x), outputMean: m.mean, outputVariance: Math.max(0, m.secondMoment - m.mean ** 2) },
      out: { mean: m.mean, second: m.secondMoment, cross: m.crossMoment },
      d2: m.derivativeSecondMoment, backward: (g) => m.derivativeSecondMoment * g, kernelFactor: null,
    };
  }
  // Flatten and other shape-only layers.
  return { pred: { ...base, outputMean: x.mean, outputVariance: variance(x) }, out: x, d2: 1, backward: (g) => g, kernelFactor: null };
}

function meanOf(d: Float32Array): number { let s = 0; for (let i = 0; i < d.length; i++) s += d[i]!; return s / Math.max(1, d.length); }
function meanSquare(d: Float32Array): number { let s = 0; for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!; return s / Math.max(1, d.length); }

/**
 * Predicts every layer's statistics at initialization.
 * @example predictVariances(model, { mean: 0, secondMoment: 1 }, { batchSize: 64 })
 */
export function predictVariances(model: Sequential, input: InputMoments, opts: { batchSize: number }): TheoryPrediction {
  if (!model.built) throw new Error(`theory: model '${model.name}' is not built; give the first layer an inputShape or call build([features])`);
  let x: Forward = { mean: input.mean, second: input.secondMoment, cross: input.crossMoment ?? input.mean ** 2 };
  const steps: Step[] = [];
  for (const layer of model.layers) {
    const s = stepThrough(layer, x);
    steps.push(s);
    x = s.out;
  }
  // Backward: the gradient w.r.t. the network output starts at 1 per unit; a softmax
  // output layer replaces it with E[δ²] of p − y at the logits (the `d2` of that step).
  let g2 = 1;
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    s.pred.gradSecondMoment = g2;
    const isSoftmaxOut = i === steps.length - 1 && activationRefOf(model.layers[i]!) === 'softmax';
    const delta2 = isSoftmaxOut ? s.d2 : s.d2 * g2;
    if (s.kernelFactor !== null) s.pred.kernelGradNorm = Math.sqrt((s.kernelFactor * delta2) / opts.batchSize);
    g2 = s.backward(g2);
  }
  const layers = steps.map((s) => s.pred);
  const dense = layers.filter((l) => l.kernelGradNorm !== null);
  const firstLastGradRatio = dense.length >= 2 ? dense[0]!.kernelGradNorm! / dense.at(-1)!.kernelGradNorm! : null;
  return { batchSize: opts.batchSize, layers, firstLastGradRatio };
}

/** Pooled moments of a data matrix [rows, features] (the network input); cross = mean over features of (feature mean)². */
export function inputMomentsOf(x: Float32Array, features: number): InputMoments {
  const rows = Math.max(1, Math.floor(x.length / Math.max(1, features)));
  const featureSum = new Float64Array(features);
  let s2 = 0;
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) { const v = x[r * features + f]!; featureSum[f] += v; s2 += v * v; }
  }
  let s = 0, cross = 0;
  for (let f = 0; f < features; f++) { const m = featureSum[f]! / rows; s += m; cross += m * m; }
  return { mean: s / features, secondMoment: s2 / (rows * features), crossMoment: cross / features };
}
