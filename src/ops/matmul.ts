/** Matrix product of two rank-2 tensors, optionally transposed. */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';
import { kernels } from '../kernels/registry.js';
import { formatShape } from '../tensor/shape.js';

/**
 * op(a)·op(b) where op transposes when asked.
 * @example matmul(tensor([[1, 2]]), tensor([[3], [4]])).toArray()  // [[11]]
 */
export function matmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  if (a.rank !== 2 || b.rank !== 2)
    throw new Error(`matmul: expected rank-2 tensors; received ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  const m = transposeA ? a.shape[1]! : a.shape[0]!;
  const k = transposeA ? a.shape[0]! : a.shape[1]!;
  const kb = transposeB ? b.shape[1]! : b.shape[0]!;
  const n = transposeB ? b.shape[0]! : b.shape[1]!;
  if (k !== kb)
    throw new Error(
      `matmul: inner dimensions differ: ${formatShape(a.shape)}${transposeA ? 'ᵀ' : ''} · ${formatShape(b.shape)}` +
        `${transposeB ? 'ᵀ' : ''}`,
    );
  const out = alloc(m * n);
  kernels().matmul(a.data, b.data, out, m, n, k, transposeA, transposeB, false);
  return record(new Tensor(out, [m, n]), [a, b], (dy) => {
    let ga: Float32Array | null = null,
      gb: Float32Array | null = null;
    if (a.requiresGrad) {
      // dA = dY·op(B)ᵀ, laid out as A (transposed back when A was transposed).
      ga = alloc(a.size);
      if (!transposeA) kernels().matmul(dy, b.data, ga, m, k, n, false, !transposeB, false);
      else kernels().matmul(b.data, dy, ga, k, m, n, transposeB, true, false);
    }
    if (b.requiresGrad) {
      gb = alloc(b.size);
      if (!transposeB) kernels().matmul(a.data, dy, gb, k, n, m, !transposeA, false, false);
      else kernels().matmul(dy, a.data, gb, n, k, m, true, transposeA, false);
    }
    return [ga, gb];
  });
}
