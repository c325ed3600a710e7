/**
 * The doctor's moment rules, as a layer sees them. A layer that knows how it
 * maps the first two moments of its input (forward) and the second moment of
 * the gradient (backward) implements `Layer.momentRule`; the variance theory in
 * health/theory.ts walks the model with these rules. The numerical tools
 * (Gauss–Hermite activation moments, initializer moments, softmax) come from the
 * doctor through `MomentTools`, so nn/ depends on nothing in health/.
 *
 * Notation (Poole et al. 2016; Schoenholz et al. 2017): for an output x pooled
 * over units and examples, E[x], E[x²], and E[x_a·x_b] for two different
 * examples a ≠ b (the within-unit batch variance is E[x²] − E[x_a·x_b]).
 */
import type { ActivationCode } from '../../kernels/backend.js';
import type { Initializer } from '../initializers/initializer.js';

/** E[x], E[x²] and E[x_a·x_b] of a layer's input or output. */
export interface Moments {
  mean: number;
  second: number;
  cross: number;
}

export interface ActivationMomentValues {
  mean: number;
  secondMoment: number;
  /** E[f′(z)²]. */
  derivativeSecondMoment: number;
  crossMoment: number;
}

/** What the doctor lends a moment rule. */
export interface MomentTools {
  /** Moments of f(z) for z ~ N(mean, variance) with cross-example covariance `crossCovariance`. */
  activation(
    act: { code: ActivationCode; param: number },
    mean: number,
    variance: number,
    crossCovariance: number,
  ): ActivationMomentValues;
  /** Mean and variance of one weight drawn by `initializer` for a weight of `shape`. */
  weight(initializer: Initializer, shape: readonly number[]): { mean: number; variance: number };
  /** A softmax over `units` logits ~ N(mean, variance): output variance and E‖p − y‖² per unit at the logits. */
  softmax(mean: number, variance: number, units: number): { outputVariance: number; deltaSecondMoment: number };
}

/** One layer's step through the variance theory. */
export interface MomentStep {
  /** Pre-activation mean and variance, for layers that apply an activation. */
  preMean?: number;
  preVariance?: number;
  out: Moments;
  /** E[f′(z)²]: the incoming gradient's second moment times this is E[δ²] at the pre-activation. */
  d2: number;
  /** E[(∂L/∂input)²] from E[(∂L/∂output)²]. */
  backward(g2: number): number;
  /** For a layer with a kernel: n_in·E[x²]·n_out, so ‖∇W‖² ≈ kernelFactor·E[δ²]/B. Null otherwise. */
  kernelFactor: number | null;
  /** A softmax output: E[δ²] at the logits under cross-entropy (replaces d2·g2 when it is the last layer). */
  softmaxDelta2?: number;
}

/** A merge layer's step: the branches' moments in, the merged moments out. */
export interface MergeMomentStep {
  out: Moments;
  /** E[(∂L/∂branch_i)²] for each branch, from E[(∂L/∂output)²]. */
  backward(g2: number): number[];
}

const varianceOf = (m: Moments): number => Math.max(0, m.second - m.mean * m.mean);
const crossCovarianceOf = (m: Moments): number => Math.max(0, m.cross - m.mean * m.mean);

/** The step of an elementwise activation f applied to x (ELU, LeakyReLU, Activation, ...). */
export function activationStep(
  act: { code: ActivationCode; param: number },
  x: Moments,
  tools: MomentTools,
): MomentStep {
  const m = tools.activation(act, x.mean, varianceOf(x), crossCovarianceOf(x));
  return {
    preMean: x.mean,
    preVariance: varianceOf(x),
    out: { mean: m.mean, second: m.secondMoment, cross: m.crossMoment },
    d2: m.derivativeSecondMoment,
    backward: (g2) => m.derivativeSecondMoment * g2,
    kernelFactor: null,
  };
}

/** The step of a layer that does not change values (Flatten, Reshape): exact, not a guess. */
export function identityStep(x: Moments): MomentStep {
  return { out: x, d2: 1, backward: (g2) => g2, kernelFactor: null };
}
