/**
 * Parametric ReLU (He et al. 2015): y = x for x > 0, α·x otherwise, α per feature (broadcast over the batch).
 * Computed as Keras computes it (keras/src/layers/activations/prelu.py):
 *   y = relu(x) − α·relu(−x)
 * so a NaN x (or a non-finite α) gives NaN, and the gradients are those of that
 * expression under TF's ReluGrad = g·(x > 0) (tensorflow/core/kernels/relu_op_functor.h):
 *   ∂y/∂x = (x > 0) + α·(x < 0)   → 0 at x = 0
 *   ∂y/∂α = −relu(−x)             → x for x < 0, 0 at x = 0 and for x > 0, NaN for a NaN x
 */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';

/** relu with NaN propagating (TF's Relu kernel). */
const relu = (v: number): number => (v < 0 ? 0 : v);

export function prelu(x: Tensor, alpha: Tensor): Tensor {
  const period = alpha.size;
  const out = alloc(x.size);
  for (let i = 0; i < out.length; i++) {
    const v = x.data[i]!;
    out[i] = relu(v) - alpha.data[i % period]! * relu(-v);
  }
  return record(new Tensor(out, x.shape), [x, alpha], (dy) => {
    const dx = alloc(x.size),
      dAlpha = alloc(period).fill(0);
    for (let i = 0; i < dx.length; i++) {
      const v = x.data[i]!,
        g = dy[i]!;
      // g·0 rather than 0, so a NaN upstream gradient is not hidden (as g·(x > 0) in TF).
      dx[i] = g * (v > 0 ? 1 : 0) + alpha.data[i % period]! * g * (v < 0 ? 1 : 0);
      dAlpha[i % period]! -= g * relu(-v);
    }
    return [dx, dAlpha];
  });
}
