/**
 * Saturation of an activation, measured from its outputs a = f(z): the
 * fraction of units whose derivative f′(z) is below 0.01, where back-propagation
 * multiplies the gradient by almost nothing. f′ is written in terms of a:
 * sigmoid a(1 − a), tanh 1 − a², ELU (α = 1) a + 1 for a < 0, SELU a + λα for a < 0 (λ at 0, as TF's
 * SeluGrad), softsign (1 − |a|)² (since f′(z) = 1/(1 + |z|)² and |a| = |z|/(1 + |z|)).
 */
import { SELU_ALPHA, SELU_LAMBDA } from '../../nn/activation-formulas.js';

export type SaturatingActivation = 'sigmoid' | 'tanh' | 'elu' | 'selu' | 'softsign' | 'relu';

function derivativeFromOutput(act: SaturatingActivation, a: number): number {
  switch (act) {
    case 'sigmoid':
      return a * (1 - a);
    case 'tanh':
      return 1 - a * a;
    case 'elu':
      return a > 0 ? 1 : a + 1;
    case 'selu':
      return a >= 0 ? SELU_LAMBDA : a + SELU_LAMBDA * SELU_ALPHA;
    case 'softsign':
      return (1 - Math.abs(a)) ** 2;
    case 'relu':
      return a > 0 ? 1 : 0;
  }
}

/** Fraction of values with f′ < threshold. */
export function saturatedFraction(act: SaturatingActivation, outputs: ArrayLike<number>, threshold = 0.01): number {
  let n = 0;
  for (let i = 0; i < outputs.length; i++) if (derivativeFromOutput(act, outputs[i]!) < threshold) n++;
  return n / outputs.length;
}
