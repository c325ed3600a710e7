/**
 * Reversal along the time axis of a [batch, T, ...] tensor (Keras `ops.flip(x, axis=1)`): what a recurrent layer's
 * `goBackwards` and Bidirectional's backward half need, kept outside the recurrent kernels. Its backward rule is the
 * same reversal of the gradient.
 */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';
import { formatShape } from '../tensor/shape.js';

function flipTime(src: Float32Array, batch: number, T: number, step: number): Float32Array {
  const out = alloc(src.length);
  for (let b = 0; b < batch; b++) {
    const base = b * T * step;
    for (let t = 0; t < T; t++) {
      const from = base + t * step;
      out.set(src.subarray(from, from + step), base + (T - 1 - t) * step);
    }
  }
  return out;
}

/**
 * The sequence in reverse time order: y[b, t] = x[b, T − 1 − t].
 * @example reverseTime(x) // [batch, T, F] → the same shape, last step first
 */
export function reverseTime(x: Tensor): Tensor {
  if (x.rank < 2)
    throw new Error(`reverseTime: expected [batch, T, ...]; received a tensor of shape ${formatShape(x.shape)}`);
  const batch = x.shape[0]!,
    T = x.shape[1]!;
  const step = x.shape.slice(2).reduce((p, d) => p * d, 1);
  const out = new Tensor(flipTime(x.data, batch, T, step), [...x.shape]);
  return record(out, [x], (dy) => [flipTime(dy, batch, T, step)]);
}
