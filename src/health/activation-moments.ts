/**
 * Moments of an activation of a Gaussian pre-activation, the mean-field step of
 * Poole et al. (2016) and Schoenholz et al. (2017): for z ~ N(μ, q),
 *   E[f(z)], E[f(z)²]   (forward: the next layer's input moments)
 *   E[f'(z)²]           (backward: χ, the factor on the gradient's second moment)
 * computed by Gauss–Hermite quadrature instead of linearizing f around 0.
 */
import { activate, derivative } from '../nn/activation-formulas.js';
import { ActivationCode } from '../nn/activation-formulas.js';
import { gaussianExpectation } from './gauss-hermite.js';

export interface ActivationRef {
  code: ActivationCode;
  param: number;
}

export interface ActivationMoments {
  mean: number;
  secondMoment: number;
  derivativeSecondMoment: number;
  /** E[f(z_a)·f(z_b)] for two examples a ≠ b sharing the unit-level part of z (see below). */
  crossMoment: number;
}

/** Quadrature points: 96, within the 50–100 the mean-field literature uses. */
const POINTS = 96;
/** Points of each level of the nested (cross-moment) quadrature. */
const INNER = 48;

/**
 * z = μ + u + e with a unit-level part u ~ N(0, κ) shared by the examples of a
 * batch and a per-example part e ~ N(0, q − κ) (the two-input covariance of
 * Poole et al. 2016, eq. 5): E[f(z_a) f(z_b)] = E_u[(E_e f(μ + u + e))²].
 * `crossCovariance` is κ; 0 means independent examples.
 */
export function activationMoments(
  act: ActivationRef,
  mean: number,
  variance: number,
  crossCovariance = 0,
): ActivationMoments {
  const kappa = Math.min(Math.max(0, crossCovariance), variance);
  if (act.code === ActivationCode.Linear) {
    return { mean, secondMoment: variance + mean * mean, derivativeSecondMoment: 1, crossMoment: kappa + mean * mean };
  }
  const f = (z: number) => activate(act.code, z, act.param);
  const d = (z: number) => derivative(act.code, z, f(z), act.param);
  return {
    mean: gaussianExpectation(f, mean, variance, POINTS),
    secondMoment: gaussianExpectation(
      (z) => {
        const y = f(z);
        return y * y;
      },
      mean,
      variance,
      POINTS,
    ),
    derivativeSecondMoment: gaussianExpectation(
      (z) => {
        const g = d(z);
        return g * g;
      },
      mean,
      variance,
      POINTS,
    ),
    crossMoment: gaussianExpectation(
      (u) => {
        const inner = gaussianExpectation(f, u, variance - kappa, INNER);
        return inner * inner;
      },
      mean,
      kappa,
      INNER,
    ),
  };
}
