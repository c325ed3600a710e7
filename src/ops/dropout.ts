/** Dropout and AlphaDropout as ops; the layer decides when they are active. */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';
import type { Random } from '../tensor/rng.js';
import { SELU_ALPHA, SELU_LAMBDA } from '../kernels/activation-math.js';

/** Inverted dropout (Srivastava et al. 2014): keep with probability 1 − rate, scale kept units by 1/(1 − rate). */
export function dropout(x: Tensor, rate: number, rng: Random): Tensor {
  if (rate === 0) return x;
  const mask = alloc(x.size);
  const scale = rate >= 1 ? 0 : 1 / (1 - rate);
  // Keras keeps a unit when U[0,1) ≥ rate.
  for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() >= rate ? scale : 0;
  const out = alloc(x.size);
  for (let i = 0; i < out.length; i++) out[i] = x.data[i]! * mask[i]!;
  return record(new Tensor(out, x.shape), [x], (dy) => {
    const g = alloc(dy.length);
    for (let i = 0; i < g.length; i++) g[i] = dy[i]! * mask[i]!;
    return [g];
  });
}

/** α′ = −λ·α, SELU's negative saturation value (Klambauer et al. 2017, §"New Dropout Technique"). */
export const ALPHA_PRIME = -SELU_LAMBDA * SELU_ALPHA;

/** The affine correction (a, b) that keeps mean 0 and variance 1: a = ((1−r)(1 + r·α′²))^(−1/2), b = −a·α′·r. */
export function alphaDropoutAffine(rate: number): { a: number; b: number } {
  const a = 1 / Math.sqrt((1 - rate) * (1 + rate * ALPHA_PRIME * ALPHA_PRIME));
  return { a, b: -a * ALPHA_PRIME * rate };
}

/** AlphaDropout: dropped units become α′, then y = a·x̃ + b. */
export function alphaDropout(x: Tensor, rate: number, rng: Random): Tensor {
  if (rate === 0) return x;
  const { a, b } = alphaDropoutAffine(rate);
  const keep = alloc(x.size);
  const out = alloc(x.size);
  for (let i = 0; i < out.length; i++) {
    const kept = rng.uniform() >= rate;
    keep[i] = kept ? a : 0;
    out[i] = kept ? a * x.data[i]! + b : a * ALPHA_PRIME + b;
  }
  return record(new Tensor(out, x.shape), [x], (dy) => {
    const g = alloc(dy.length);
    for (let i = 0; i < g.length; i++) g[i] = dy[i]! * keep[i]!;
    return [g];
  });
}
