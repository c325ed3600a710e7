/** Dropout and AlphaDropout as ops; the layer decides when they are active. */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';
import type { Random } from '../tensor/rng.js';
import { SELU_ALPHA, SELU_LAMBDA } from '../kernels/activation-math.js';
import { kernels } from '../kernels/registry.js';

/**
 * Keras `noise_shape`: one draw per entry of the noise shape, shared along the axes where
 * it is 1 (e.g. [batch, 1, features] drops the same features at every time step). Returns,
 * for each element of x, the index of its draw; null when every element has its own draw.
 */
function noiseIndex(
  shape: readonly number[],
  noiseShape: readonly (number | null)[] | null,
): { size: number; index: Int32Array } | null {
  if (noiseShape === null) return null;
  if (noiseShape.length !== shape.length) {
    throw new Error(
      `dropout: noise_shape ${JSON.stringify(noiseShape)} must have the rank of the input [${shape.join(', ')}]`,
    );
  }
  const dims = noiseShape.map((d, k) => d ?? shape[k]!);
  dims.forEach((d, k) => {
    if (d !== 1 && d !== shape[k])
      throw new Error(
        `dropout: noise_shape ${JSON.stringify(noiseShape)} does not broadcast to the input [${shape.join(', ')}]`,
      );
  });
  if (dims.every((d, k) => d === shape[k])) return null;
  const size = dims.reduce((p, d) => p * d, 1);
  const total = shape.reduce((p, d) => p * d, 1);
  const strides = dims.map((_d, k) => dims.slice(k + 1).reduce((p, d) => p * d, 1));
  const index = new Int32Array(total);
  for (let i = 0; i < total; i++) {
    let rest = i,
      at = 0;
    for (let k = shape.length - 1; k >= 0; k--) {
      const c = rest % shape[k]!;
      rest = (rest - c) / shape[k]!;
      if (dims[k] !== 1) at += c * strides[k]!;
    }
    index[i] = at;
  }
  return { size, index };
}

/** Draws `keep` / 0 per element: Keras keeps a unit when U[0,1) ≥ rate. */
function drawKeep(
  x: Tensor,
  rate: number,
  rng: Random,
  noiseShape: readonly (number | null)[] | null,
  keepValue = 1,
): Float32Array {
  const shared = noiseIndex(x.shape, noiseShape);
  const keep = alloc(x.size);
  const draws = shared === null ? keep : alloc(shared.size);
  // The kernel advances the generator's state as draws.length calls of rng.uniform() would.
  const state = rng.getState();
  const words = Uint32Array.from(state.s);
  kernels().keepMask(words, draws, draws.length, rate, keepValue);
  rng.setState({ s: [words[0]!, words[1]!, words[2]!, words[3]!], spare: state.spare });
  if (shared !== null) for (let i = 0; i < keep.length; i++) keep[i] = draws[shared.index[i]!]!;
  return keep;
}

/**
 * Inverted dropout (Srivastava et al. 2014): keep with probability 1 − rate, scale kept units by
 * 1/(1 − rate). Rate 1 drops everything (zeros, zero gradient), as Keras's JAX and NumPy backends do.
 */
export function dropout(
  x: Tensor,
  rate: number,
  rng: Random,
  noiseShape: readonly (number | null)[] | null = null,
): Tensor {
  if (rate === 0) return x;
  // The mask holds 1/(1 − rate) or 0 (1·scale is scale exactly, so this equals drawing 1/0 and scaling).
  const mask = drawKeep(x, rate, rng, noiseShape, rate >= 1 ? 0 : 1 / (1 - rate));
  const out = alloc(x.size);
  kernels().multiply(x.data, mask, out, out.length);
  return record(new Tensor(out, x.shape), [x], (dy) => {
    const g = alloc(dy.length);
    kernels().multiply(dy, mask, g, g.length);
    return [g];
  });
}

/** α′ = −λ·α, SELU's negative saturation value (Klambauer et al. 2017, §"New Dropout Technique"). */
export const ALPHA_PRIME = -SELU_LAMBDA * SELU_ALPHA;

/**
 * The affine correction (a, b) that keeps mean 0 and variance 1:
 * a = ((1−r)(1 + r·α′²))^(−1/2), b = −a·α′·r.
 */
export function alphaDropoutAffine(rate: number): { a: number; b: number } {
  const a = 1 / Math.sqrt((1 - rate) * (1 + rate * ALPHA_PRIME * ALPHA_PRIME));
  return { a, b: -a * ALPHA_PRIME * rate };
}

/**
 * AlphaDropout: dropped units become α′, then y = a·x̃ + b. At rate 1 the correction is
 * undefined (Keras computes a = 0^(−1/2) and returns NaN); Keel returns zeros, the mean
 * the correction preserves, with zero gradient.
 */
export function alphaDropout(
  x: Tensor,
  rate: number,
  rng: Random,
  noiseShape: readonly (number | null)[] | null = null,
): Tensor {
  if (rate === 0) return x;
  const keep = drawKeep(x, rate, rng, noiseShape);
  const out = alloc(x.size);
  if (rate >= 1) {
    out.fill(0);
    keep.fill(0);
  } else {
    const { a, b } = alphaDropoutAffine(rate);
    for (let i = 0; i < out.length; i++) {
      const kept = keep[i] === 1;
      keep[i] = kept ? a : 0;
      out[i] = kept ? a * x.data[i]! + b : a * ALPHA_PRIME + b;
    }
  }
  return record(new Tensor(out, x.shape), [x], (dy) => {
    const g = alloc(dy.length);
    kernels().multiply(dy, keep, g, g.length);
    return [g];
  });
}
