/**
 * Element-wise ops with NumPy broadcasting, each with its backward rule beside it.
 * These serve custom losses and user code; the training hot path uses the fused
 * ops in dense.ts, batch-norm.ts and losses.ts instead.
 */
import { Tensor } from '../tensor/tensor.js';
import { broadcastShapes, broadcastStrides, sizeOf, shapesEqual, type Shape } from '../tensor/shape.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';

type TensorLike = Tensor | number;

function asTensor(x: TensorLike): Tensor {
  return typeof x === 'number' ? new Tensor(Float32Array.of(x), []) : x;
}

/** Calls visit(outIndex, aIndex, bIndex) over the broadcast of shapes a and b. */
function forEachBroadcast(
  aShape: Shape,
  bShape: Shape,
  outShape: Shape,
  visit: (o: number, ia: number, ib: number) => void,
): void {
  const n = sizeOf(outShape);
  if (shapesEqual(aShape, outShape) && shapesEqual(bShape, outShape)) {
    for (let i = 0; i < n; i++) visit(i, i, i);
    return;
  }
  const rank = outShape.length;
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const index = new Array<number>(rank).fill(0);
  let ia = 0,
    ib = 0;
  for (let o = 0; o < n; o++) {
    visit(o, ia, ib);
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]!++;
      ia += sa[axis]!;
      ib += sb[axis]!;
      if (index[axis]! < outShape[axis]!) break;
      ia -= sa[axis]! * outShape[axis]!;
      ib -= sb[axis]! * outShape[axis]!;
      index[axis] = 0;
    }
  }
}

/** Sums a gradient of the broadcast shape back down to `shape`. */
export function sumToShape(g: Float32Array, gShape: Shape, shape: Shape): Float32Array {
  if (shapesEqual(gShape, shape)) return g;
  const out = alloc(sizeOf(shape)).fill(0);
  const rank = gShape.length;
  const strides = broadcastStrides(shape, gShape);
  const index = new Array<number>(rank).fill(0);
  let j = 0;
  for (let o = 0; o < g.length; o++) {
    out[j]! += g[o]!;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]!++;
      j += strides[axis]!;
      if (index[axis]! < gShape[axis]!) break;
      j -= strides[axis]! * gShape[axis]!;
      index[axis] = 0;
    }
  }
  return out;
}

interface BinaryRule {
  name: string;
  f: (a: number, b: number) => number;
  /** ∂f/∂a and ∂f/∂b at (a, b), given the output y. */
  da: (a: number, b: number, y: number) => number;
  db: (a: number, b: number, y: number) => number;
}

function binary(rule: BinaryRule, x: TensorLike, y: TensorLike): Tensor {
  const a = asTensor(x),
    b = asTensor(y);
  const shape = broadcastShapes(a.shape, b.shape, rule.name);
  const out = alloc(sizeOf(shape));
  const ad = a.data,
    bd = b.data;
  forEachBroadcast(a.shape, b.shape, shape, (o, ia, ib) => {
    out[o] = rule.f(ad[ia]!, bd[ib]!);
  });
  const result = new Tensor(out, shape);
  return record(result, [a, b], (dy) => {
    const ga = a.requiresGrad ? alloc(out.length) : null;
    const gb = b.requiresGrad ? alloc(out.length) : null;
    forEachBroadcast(a.shape, b.shape, shape, (o, ia, ib) => {
      if (ga) ga[o] = dy[o]! * rule.da(ad[ia]!, bd[ib]!, out[o]!);
      if (gb) gb[o] = dy[o]! * rule.db(ad[ia]!, bd[ib]!, out[o]!);
    });
    return [ga && sumToShape(ga, shape, a.shape), gb && sumToShape(gb, shape, b.shape)];
  });
}

const ADD: BinaryRule = { name: 'add', f: (a, b) => a + b, da: () => 1, db: () => 1 };
const SUB: BinaryRule = { name: 'sub', f: (a, b) => a - b, da: () => 1, db: () => -1 };
const MUL: BinaryRule = { name: 'mul', f: (a, b) => a * b, da: (_a, b) => b, db: (a) => a };
const DIV: BinaryRule = { name: 'div', f: (a, b) => a / b, da: (_a, b) => 1 / b, db: (a, b) => -a / (b * b) };
const MAXIMUM: BinaryRule = {
  name: 'maximum',
  f: Math.max,
  da: (a, b) => (a >= b ? 1 : 0),
  db: (a, b) => (a >= b ? 0 : 1),
};
const MINIMUM: BinaryRule = {
  name: 'minimum',
  f: Math.min,
  da: (a, b) => (a <= b ? 1 : 0),
  db: (a, b) => (a <= b ? 0 : 1),
};
const POW: BinaryRule = {
  name: 'pow',
  f: Math.pow,
  da: (a, b) => b * Math.pow(a, b - 1),
  db: (a, _b, y) => (a > 0 ? y * Math.log(a) : 0),
};

export const add = (a: TensorLike, b: TensorLike): Tensor => binary(ADD, a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary(SUB, a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary(MUL, a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => binary(DIV, a, b);
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary(MAXIMUM, a, b);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary(MINIMUM, a, b);
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary(POW, a, b);

/** A unary op given f and f' (as a function of input x and output y). */
export function unary(name: string, x: Tensor, f: (v: number) => number, df: (v: number, y: number) => number): Tensor {
  const out = alloc(x.size);
  const xd = x.data;
  for (let i = 0; i < out.length; i++) out[i] = f(xd[i]!);
  const result = new Tensor(out, x.shape);
  return record(result, [x], (dy) => {
    const g = alloc(out.length);
    for (let i = 0; i < g.length; i++) g[i] = dy[i]! * df(xd[i]!, out[i]!);
    return [g];
  });
}

export const neg = (x: Tensor): Tensor =>
  unary(
    'neg',
    x,
    (v) => -v,
    () => -1,
  );
export const exp = (x: Tensor): Tensor => unary('exp', x, Math.exp, (_v, y) => y);
export const log = (x: Tensor): Tensor => unary('log', x, Math.log, (v) => 1 / v);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x, Math.sqrt, (_v, y) => 0.5 / y);
export const square = (x: Tensor): Tensor =>
  unary(
    'square',
    x,
    (v) => v * v,
    (v) => 2 * v,
  );
export const abs = (x: Tensor): Tensor => unary('abs', x, Math.abs, (v) => (v > 0 ? 1 : v < 0 ? -1 : 0));
/** Clips to [lo, hi]; the gradient passes only strictly inside. */
export const clip = (x: Tensor, lo: number, hi: number): Tensor =>
  unary(
    'clip',
    x,
    (v) => Math.min(hi, Math.max(lo, v)),
    (v) => (v > lo && v < hi ? 1 : 0),
  );
