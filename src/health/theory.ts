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
 * On a graph (He et al. 2016): a residual block y = x + F(x) has Var[y] = Var[x] + Var[F(x)] and sends
 * E[g_x²] = E[g_y²] + E[(∂F/∂x·g_y)²] back, so the gradient reaching early layers cannot vanish through the
 * identity path however deep the stack.
 */
import type { Model } from '../nn/functional.js';
import type { Node, SymbolicTensor } from '../nn/graph/symbolic.js';
import type { MomentStep, MomentTools, Moments } from '../nn/layers/index.js';
import type { MergeMomentStep } from '../nn/layers/moments.js';
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
  /** The merge layers (skip connections, joined branches) of the model; empty for a plain stack. */
  skipConnections: string[];
}

/** The doctor's numerical tools, lent to each layer's moment rule. */
export const MOMENT_TOOLS: MomentTools = {
  activation: (act, mean, variance, crossCovariance) => activationMoments(act, mean, variance, crossCovariance),
  weight: (initializer, shape) => weightMoments(initializer, [...shape]),
  softmax: (mean, variance, units) => softmaxMoments(mean, variance, units),
};

/**
 * Predicts every layer call's statistics at initialization, from each layer's own moment rule, walking the
 * model's graph in order (a Sequential is a chain). Merge layers take their branches' moments (Add: the sum of
 * the branch variances, the branches taken as independent — see nn/layers/merge.ts for what that means in a
 * residual block). Backward, a tensor read by several layers (the fork of a skip connection) receives the sum
 * of their gradients' second moments, their cross terms taken as zero: exact in expectation when the branch
 * ends in a zero-mean kernel, as at initialization.
 * @example predictVariances(model, { mean: 0, secondMoment: 1 }, { batchSize: 64 })
 */
export function predictVariances(model: Model, input: InputMoments, opts: { batchSize: number }): TheoryPrediction {
  if (!model.built)
    throw new Error(
      `theory: model '${model.name}' is not built; give the first layer an inputShape or call build([features])`,
    );
  const x0: Moments = { mean: input.mean, second: input.secondMoment, cross: input.crossMoment ?? input.mean ** 2 };
  const moments = new Map<SymbolicTensor, Moments>(model.inputs.map((t) => [t, x0]));
  const unknown: UnknownLayer[] = [];
  const steps: { node: Node; step: MomentStep | MergeMomentStep; pred: LayerPrediction }[] = [];
  const outputs = new Set(model.outputs);
  for (const node of model.nodes) {
    const layer = node.layer;
    // Past the first unknown layer the moments are unknown too: the rest are only asked whether they have a rule.
    const known = unknown.length === 0;
    const ins = node.inputs.map((t) => (known ? moments.get(t)! : NEUTRAL));
    const step = node.listInput ? layer.momentRuleList(ins, MOMENT_TOOLS) : layer.momentRule(ins[0]!, MOMENT_TOOLS);
    if (step === null) {
      if (!unknown.some((u) => u.layer === layer.name))
        unknown.push({ layer: layer.name, className: layer.className, index: model.layers.indexOf(layer) });
      continue;
    }
    if (!known) continue;
    const single = node.listInput ? null : (step as MomentStep);
    steps.push({
      node,
      step,
      pred: {
        layer: layer.name,
        className: layer.className,
        preMean: single?.preMean ?? null,
        preVariance: single?.preVariance ?? null,
        outputMean: step.out.mean,
        outputVariance: Math.max(0, step.out.second - step.out.mean ** 2),
        gradSecondMoment: null,
        kernelGradNorm: null,
      },
    });
    moments.set(node.output, step.out);
  }
  // Backward: the gradient w.r.t. each model output starts at 1 per unit; a softmax output layer replaces it
  // with E[δ²] of p − y at the logits. Only possible when every layer has a rule (the chain from the loss down
  // must be known). Gradients of a tensor read by several layers add up.
  if (unknown.length === 0) {
    const g2Of = new Map<SymbolicTensor, number>();
    const addTo = (t: SymbolicTensor, g: number) => g2Of.set(t, (g2Of.get(t) ?? 0) + g);
    for (const t of model.outputs) addTo(t, 1);
    for (let i = steps.length - 1; i >= 0; i--) {
      const { node, step, pred } = steps[i]!;
      const g2 = g2Of.get(node.output) ?? 0;
      pred.gradSecondMoment = g2;
      if (node.listInput) {
        (step as MergeMomentStep).backward(g2).forEach((g, k) => addTo(node.inputs[k]!, g));
        continue;
      }
      const s = step as MomentStep;
      const softmaxOut = outputs.has(node.output) && s.softmaxDelta2 !== undefined;
      const delta2 = softmaxOut ? s.softmaxDelta2! : s.d2 * g2;
      if (s.kernelFactor !== null) pred.kernelGradNorm = Math.sqrt((s.kernelFactor * delta2) / opts.batchSize);
      addTo(node.inputs[0]!, softmaxOut ? s.backward(delta2) : s.backward(g2));
    }
  }
  const layers = steps.map((s) => s.pred);
  const weighted = layers.filter((l) => l.kernelGradNorm !== null);
  // 0/0 (no gradient reaches either end: every unit dead) is no ratio at all: null, not NaN.
  const rawRatio = weighted.length >= 2 ? weighted[0]!.kernelGradNorm! / weighted.at(-1)!.kernelGradNorm! : null;
  const firstLastGradRatio = rawRatio === null || Number.isNaN(rawRatio) ? null : rawRatio;
  const skipConnections = model.layers.filter((l) => l.doctorFacts().role === 'merge').map((l) => l.name);
  return { batchSize: opts.batchSize, layers, unknown, firstLastGradRatio, skipConnections };
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
