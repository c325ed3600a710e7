/** Parametric ReLU (He et al. 2015): y = x for x > 0, α·x otherwise, α per feature (broadcast over the batch). */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';

export function prelu(x: Tensor, alpha: Tensor): Tensor {
  const period = alpha.size;
  const out = alloc(x.size);
  for (let i = 0; i < out.length; i++) {
    const v = x.data[i]!;
    out[i] = v > 0 ? v : alpha.data[i % period]! * v;
  }
  return record(new Tensor(out, x.shape), [x, alpha], (dy) => {
    const dx = alloc(x.size), dAlpha = alloc(period).fill(0);
    for (let i = 0; i < dx.length; i++) {
      const v = x.data[i]!;
      dx[i] = v > 0 ? dy[i]! : alpha.data[i % period]! * dy[i]!;
      if (v <= 0) dAlpha[i % period]! += dy[i]! * v;
    }
    return [dx, dAlpha];
  });
}
