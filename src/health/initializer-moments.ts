/**
 * First and second moments of the weights an initializer draws for a shape:
 * what variance propagation needs (Glorot & Bengio 2010 eq. 10–12: n·Var[W]).
 */
import type { Initializer } from '../nn/initializers/index.js';
import {
  Constant,
  Identity,
  Orthogonal,
  RandomNormal,
  RandomUniform,
  TRUNCATION_STD,
  TruncatedNormal,
  VarianceScaling,
  computeFans,
} from '../nn/initializers/index.js';

export interface WeightMoments {
  mean: number;
  variance: number;
}

export function weightMoments(init: Initializer, shape: number[]): WeightMoments {
  if (init instanceof VarianceScaling) return { mean: 0, variance: init.variance(shape) };
  if (init instanceof RandomNormal) return { mean: init.mean, variance: init.stddev ** 2 };
  // No variance correction in TruncatedNormal: a 2σ-truncated draw has std 0.8796·stddev.
  if (init instanceof TruncatedNormal) return { mean: init.mean, variance: (init.stddev * TRUNCATION_STD) ** 2 };
  if (init instanceof RandomUniform)
    return { mean: (init.minval + init.maxval) / 2, variance: (init.maxval - init.minval) ** 2 / 12 };
  if (init instanceof Orthogonal || init instanceof Identity) {
    // Orthonormal rows or columns: Σ W² = gain²·min(n_in, n_out) spread over n_in·n_out entries.
    const { fanIn, fanOut } = computeFans(shape);
    return { mean: 0, variance: (init.gain ** 2 * Math.min(fanIn, fanOut)) / (fanIn * fanOut) };
  }
  if (init instanceof Constant) return { mean: init.value, variance: 0 };
  if (init.className === 'Ones') return { mean: 1, variance: 0 };
  if (init.className === 'Zeros') return { mean: 0, variance: 0 };
  throw new Error(`theory: no variance formula for initializer ${init.className}`);
}
