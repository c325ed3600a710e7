/** Concatenation along one axis (Keras `ops.concatenate`); the backward rule hands each input its slice. */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';
import { formatShape } from '../tensor/shape.js';

/**
 * Joins tensors along `axis` (negative counts from the end); all other dimensions must agree.
 * @example concat([a, b], -1) // [batch, 3] and [batch, 5] → [batch, 8]
 */
export function concat(xs: readonly Tensor[], axis = -1): Tensor {
  if (xs.length === 0) throw new Error('concat: expected at least one tensor');
  const first = xs[0]!;
  const rank = first.rank;
  const ax = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= rank)
    throw new Error(`concat: axis ${axis} is out of range for tensors of rank ${rank}`);
  for (const x of xs) {
    if (x.rank !== rank || x.shape.some((d, i) => i !== ax && d !== first.shape[i]))
      throw new Error(
        `concat: shapes ${xs.map((t) => formatShape(t.shape)).join(', ')} differ outside axis ${axis}; they must agree`,
      );
  }
  const outer = first.shape.slice(0, ax).reduce((p, d) => p * d, 1);
  const inner = first.shape.slice(ax + 1).reduce((p, d) => p * d, 1);
  const widths = xs.map((x) => x.shape[ax]! * inner);
  const total = widths.reduce((a, b) => a + b, 0);
  const out = alloc(outer * total);
  let offset = 0;
  xs.forEach((x, k) => {
    const w = widths[k]!;
    for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * w, (o + 1) * w), o * total + offset);
    offset += w;
  });
  const shape = first.shape.map((d, i) => (i === ax ? total / inner : d));
  return record(new Tensor(out, shape), xs, (dy) => {
    let at = 0;
    return xs.map((x, k) => {
      const w = widths[k]!;
      const start = at;
      at += w;
      if (!x.requiresGrad) return null;
      const g = alloc(outer * w);
      for (let o = 0; o < outer; o++) g.set(dy.subarray(o * total + start, o * total + start + w), o * w);
      return g;
    });
  });
}
