/** Reductions: sum and mean over all values or one axis. */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';

function normalizeAxis(axis: number, rank: number, op: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank)
    throw new Error(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  return a;
}

/** Sum of all values, or along `axis` (dropped unless keepDims). */
export function sum(x: Tensor, axis?: number, keepDims = false): Tensor {
  if (axis === undefined) {
    let s = 0;
    for (let i = 0; i < x.size; i++) s += x.data[i]!;
    const out = alloc(1);
    out[0] = s;
    return record(new Tensor(out, keepDims ? x.shape.map(() => 1) : []), [x], (dy) => [alloc(x.size).fill(dy[0]!)]);
  }
  const ax = normalizeAxis(axis, x.rank, 'sum');
  const outer = x.shape.slice(0, ax).reduce((p, d) => p * d, 1);
  const n = x.shape[ax]!;
  const inner = x.shape.slice(ax + 1).reduce((p, d) => p * d, 1);
  const out = alloc(outer * inner).fill(0);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < n; k++) {
      const base = (o * n + k) * inner;
      for (let i = 0; i < inner; i++) out[o * inner + i]! += x.data[base + i]!;
    }
  }
  const shape = keepDims ? x.shape.map((d, i) => (i === ax ? 1 : d)) : x.shape.filter((_d, i) => i !== ax);
  return record(new Tensor(out, shape), [x], (dy) => {
    const g = alloc(x.size);
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < n; k++) {
        const base = (o * n + k) * inner;
        for (let i = 0; i < inner; i++) g[base + i] = dy[o * inner + i]!;
      }
    }
    return [g];
  });
}

/** Mean of all values, or along `axis`. */
export function mean(x: Tensor, axis?: number, keepDims = false): Tensor {
  const count = axis === undefined ? x.size : x.shape[normalizeAxis(axis, x.rank, 'mean')]!;
  const s = sum(x, axis, keepDims);
  const out = alloc(s.size);
  for (let i = 0; i < out.length; i++) out[i] = s.data[i]! / count;
  return record(new Tensor(out, s.shape), [s], (dy) => {
    const g = alloc(dy.length);
    for (let i = 0; i < g.length; i++) g[i] = dy[i]! / count;
    return [g];
  });
}
