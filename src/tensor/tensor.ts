/**
 * Tensor: a shape and a contiguous row-major Float32Array. Tensors produced by
 * recorded ops carry a `node` so the tape can run their backward rule.
 */
import type { TapeNode } from '../autograd/tape.js';
import { assertValidShape, formatShape, sizeOf, type Shape } from './shape.js';

export type NestedArray = number | NestedArray[];

export class Tensor {
  readonly shape: number[];
  /** Row-major values. Mutating it in place is allowed only for tensors you created. */
  data: Float32Array;
  /** True when gradients flow to this tensor (variables, and results of ops on them under a tape). */
  requiresGrad = false;
  /** The op that produced this tensor, when recorded on a tape. */
  node: TapeNode | null = null;
  /** For a softmax/sigmoid output: its input logits, so losses can fuse (as Keras does with `_keras_logits`). */
  logits: { tensor: Tensor; kind: 'softmax' | 'sigmoid' } | null = null;

  constructor(data: Float32Array, shape: Shape) {
    if (data.length !== sizeOf(shape)) {
      throw new Error(
        `Tensor: ${data.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} needed)`,
      );
    }
    this.data = data;
    this.shape = [...shape];
  }

  get size(): number {
    return this.data.length;
  }
  get rank(): number {
    return this.shape.length;
  }

  /** The values as nested JavaScript arrays (a number for a scalar). */
  toArray(): NestedArray {
    if (this.shape.length === 0) return this.data[0]!;
    const build = (axis: number, offset: number): NestedArray[] => {
      const n = this.shape[axis]!;
      const stride = sizeOf(this.shape.slice(axis + 1));
      const out: NestedArray[] = [];
      for (let i = 0; i < n; i++) {
        out.push(axis === this.shape.length - 1 ? this.data[offset + i]! : build(axis + 1, offset + i * stride));
      }
      return out;
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1)
      throw new Error(
        `Tensor.item: tensor of shape ${formatShape(this.shape)} has ${this.data.length} values, expected 1`,
      );
    return this.data[0]!;
  }

  /** A copy that does not depend on any tape or pooled buffer. */
  clone(): Tensor {
    return new Tensor(Float32Array.from(this.data), this.shape);
  }

  toString(): string {
    return `Tensor(shape=${formatShape(this.shape)})`;
  }
}

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0] ?? 0;
  }
  return shape;
}

function flatten(values: NestedArray, shape: number[], out: Float32Array): void {
  let i = 0;
  const walk = (v: NestedArray, axis: number): void => {
    if (axis === shape.length) {
      if (typeof v !== 'number')
        throw new Error(`tensor: expected a number at depth ${axis}; received ${JSON.stringify(v)}`);
      out[i++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[axis]) {
      throw new Error(
        `tensor: ragged nested array: expected ${shape[axis]} entries at depth ${axis}; received ` +
          `${Array.isArray(v) ? v.length : typeof v}`,
      );
    }
    for (const item of v) walk(item, axis + 1);
  };
  walk(values, 0);
}

/**
 * Creates a tensor from numbers, nested arrays or a Float32Array.
 * @example
 *   tensor([[1, 2], [3, 4]]).shape        // [2, 2]
 *   tensor([1, 2, 3, 4, 5, 6], [2, 3])     // reshaped flat values
 */
export function tensor(values: NestedArray | Float32Array | ArrayLike<number>, shape?: Shape): Tensor {
  if (shape !== undefined) assertValidShape(shape, 'tensor');
  if (values instanceof Float32Array || (typeof values === 'object' && !Array.isArray(values))) {
    const data = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
    return new Tensor(data, shape ?? [data.length]);
  }
  if (typeof values === 'number') return new Tensor(Float32Array.of(values), shape ?? []);
  const inferred = inferShape(values);
  const data = new Float32Array(sizeOf(inferred));
  flatten(values, inferred, data);
  if (shape !== undefined && sizeOf(shape) !== data.length) {
    throw new Error(`tensor: ${data.length} values cannot take shape ${formatShape(shape)}`);
  }
  return new Tensor(data, shape ?? inferred);
}

export function zeros(shape: Shape): Tensor {
  return new Tensor(new Float32Array(sizeOf(shape)), shape);
}
export function ones(shape: Shape): Tensor {
  return new Tensor(new Float32Array(sizeOf(shape)).fill(1), shape);
}
