/**
 * Merge layers (Keras 3 `layers/merging/`): Add, Subtract, Multiply, Average,
 * Maximum, Minimum and Concatenate. They take a list of tensors
 * (`new layers.Add().apply([a, b])`), have no weights, and are where a functional
 * graph joins its branches: skip connections are an Add.
 *
 * Moment rules (the doctor's variance theory) treat the branches as independent:
 * for an Add, E[(Σxᵢ)²] = Σ E[xᵢ²] + 2 Σᵢ<ⱼ E[xᵢ]E[xⱼ] — the sum of the branch
 * variances. A residual block x + F(x) is correlated (F reads x), but when F ends
 * in a kernel drawn with zero mean (a Dense as initialised), E[x·F(x)] = 0 over the
 * weight draw, so the rule holds in expectation there; a branch ending in a
 * nonlinearity has E[x·F(x)] ≠ 0 in general and the rule is then an approximation.
 * Backward, each branch of an Add receives the output's gradient unchanged.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { add, sub, mul, maximum, minimum } from '../../ops/elementwise.js';
import { concat } from '../../ops/concat.js';
import { formatValue } from '../../util/args.js';
import { Layer, type CallContext, type LayerArgs, type LayerArgSpec, type LayerFacts } from './layer.js';
import type { MergeMomentStep, Moments } from './moments.js';
import { registerLayer } from './serialize.js';

const shapeText = (s: readonly number[]) => `(None, ${s.join(', ')})`;

/** The base of the merge layers: a list of inputs, no weights, role 'merge'. */
export abstract class MergeLayer extends Layer {
  /** The shapes of the inputs the layer was built for (without the batch axis). */
  builtInputShapes: number[][] | null = null;
  /** Fewest inputs accepted (2 for all merge layers but Concatenate's 1-or-more... Keras asks 2). */
  protected readonly minInputs: number = 2;
  protected readonly maxInputs: number = Infinity;

  override get takesList(): boolean {
    return true;
  }

  call(_x: Tensor, _ctx: CallContext): Tensor {
    throw new Error(`${this.where} takes a list of input tensors (e.g. apply([a, b])); received one tensor`);
  }

  override weightSpecs(): [] {
    return [];
  }

  /** Shapes must agree (elementwise merges); Concatenate overrides this. */
  protected mergedShape(shapes: number[][]): number[] {
    const first = shapes[0]!;
    for (const s of shapes) {
      if (s.length !== first.length || s.some((d, i) => d !== first[i]))
        throw new Error(
          `${this.where}: inputs must have the same shape; received ${shapes.map(shapeText).join(', ')}` +
            `\nhelp: project a branch with a Dense layer to match, or use layers.Concatenate`,
        );
    }
    return [...first];
  }

  override checkListShapes(shapes: number[][]): void {
    if (shapes.length < this.minInputs || shapes.length > this.maxInputs) {
      const want = this.maxInputs === this.minInputs ? `exactly ${this.minInputs}` : `at least ${this.minInputs}`;
      throw new Error(`${this.where} takes ${want} input tensors; received ${shapes.length}`);
    }
    const built = this.builtInputShapes;
    if (built !== null) {
      const same =
        built.length === shapes.length &&
        built.every((s, i) => s.length === shapes[i]!.length && s.every((d, j) => d === shapes[i]![j]));
      if (!same)
        throw new Error(
          `${this.where} was built for inputs ${built.map(shapeText).join(', ')} but received ` +
            `${shapes.map(shapeText).join(', ')}`,
        );
      return;
    }
    this.mergedShape(shapes);
    this.builtInputShapes = shapes.map((s) => [...s]);
    this.build(shapes[0]!);
  }

  override computeOutputShapeList(shapes: number[][]): number[] {
    return this.mergedShape(shapes);
  }

  override doctorFacts(): LayerFacts {
    return { role: 'merge', fullyConnected: true };
  }
}

/** x₁ + x₂ + ... (a skip connection). @example new layers.Add().apply([x, h]) */
export class Add extends MergeLayer {
  static readonly className = 'Add';
  static readonly argSpec: LayerArgSpec = {};
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override callList(xs: readonly Tensor[]): Tensor {
    let y = add(xs[0]!, xs[1]!);
    for (let i = 2; i < xs.length; i++) y = add(y, xs[i]!);
    return y;
  }
  /** Independent branches: means add, variances add; each branch gets the output's gradient. */
  override momentRuleList(xs: readonly Moments[]): MergeMomentStep {
    return { out: sumMoments(xs, 1), backward: (g2) => xs.map(() => g2) };
  }
}

/** The moments of c·Σxᵢ for independent xᵢ. */
function sumMoments(xs: readonly Moments[], c: number): Moments {
  let mean = 0,
    second = 0,
    cross = 0;
  xs.forEach((x, i) => {
    mean += x.mean;
    second += x.second;
    cross += x.cross;
    for (let j = 0; j < i; j++) {
      second += 2 * x.mean * xs[j]!.mean;
      cross += 2 * x.mean * xs[j]!.mean;
    }
  });
  return { mean: c * mean, second: c * c * second, cross: c * c * cross };
}

/** x₁ − x₂ (exactly two inputs). */
export class Subtract extends MergeLayer {
  static readonly className = 'Subtract';
  static readonly argSpec: LayerArgSpec = {};
  protected override readonly maxInputs = 2;
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override callList(xs: readonly Tensor[]): Tensor {
    return sub(xs[0]!, xs[1]!);
  }
  override momentRuleList(xs: readonly Moments[]): MergeMomentStep {
    const [a, b] = [xs[0]!, xs[1]!];
    const m = a.mean * b.mean;
    return {
      out: { mean: a.mean - b.mean, second: a.second + b.second - 2 * m, cross: a.cross + b.cross - 2 * m },
      backward: (g2) => [g2, g2],
    };
  }
}

/** The mean of the inputs. */
export class Average extends MergeLayer {
  static readonly className = 'Average';
  static readonly argSpec: LayerArgSpec = {};
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override callList(xs: readonly Tensor[]): Tensor {
    let y = add(xs[0]!, xs[1]!);
    for (let i = 2; i < xs.length; i++) y = add(y, xs[i]!);
    return mul(y, 1 / xs.length);
  }
  override momentRuleList(xs: readonly Moments[]): MergeMomentStep {
    const n = xs.length;
    return { out: sumMoments(xs, 1 / n), backward: (g2) => xs.map(() => g2 / (n * n)) };
  }
}

/** The elementwise product of the inputs (gating). */
export class Multiply extends MergeLayer {
  static readonly className = 'Multiply';
  static readonly argSpec: LayerArgSpec = {};
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override callList(xs: readonly Tensor[]): Tensor {
    let y = mul(xs[0]!, xs[1]!);
    for (let i = 2; i < xs.length; i++) y = mul(y, xs[i]!);
    return y;
  }
  /**
   * Independent branches: E[Πxᵢ] = ΠE[xᵢ], E[(Πxᵢ)²] = ΠE[xᵢ²];
   * branch i's gradient is g·Πⱼ≠ᵢ xⱼ.
   */
  override momentRuleList(xs: readonly Moments[]): MergeMomentStep {
    const prod = (f: (m: Moments) => number, skip = -1) => xs.reduce((p, m, i) => (i === skip ? p : p * f(m)), 1);
    return {
      out: { mean: prod((m) => m.mean), second: prod((m) => m.second), cross: prod((m) => m.cross) },
      backward: (g2) => xs.map((_m, i) => g2 * prod((m) => m.second, i)),
    };
  }
}

/** The elementwise maximum (no moment rule: the doctor names it as unknown). */
export class Maximum extends MergeLayer {
  static readonly className = 'Maximum';
  static readonly argSpec: LayerArgSpec = {};
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override callList(xs: readonly Tensor[]): Tensor {
    let y = maximum(xs[0]!, xs[1]!);
    for (let i = 2; i < xs.length; i++) y = maximum(y, xs[i]!);
    return y;
  }
}

/** The elementwise minimum (no moment rule: the doctor names it as unknown). */
export class Minimum extends MergeLayer {
  static readonly className = 'Minimum';
  static readonly argSpec: LayerArgSpec = {};
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override callList(xs: readonly Tensor[]): Tensor {
    let y = minimum(xs[0]!, xs[1]!);
    for (let i = 2; i < xs.length; i++) y = minimum(y, xs[i]!);
    return y;
  }
}

export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along, counting the batch axis as 0 (Keras); default -1, the last. */
  axis?: number;
}

/** Joins the inputs along an axis. @example new layers.Concatenate({ axis: -1 }).apply([a, b]) */
export class Concatenate extends MergeLayer {
  static readonly className = 'Concatenate';
  static readonly argSpec: LayerArgSpec = { axis: { type: 'number', integer: true } };
  readonly axis: number;
  constructor(args: ConcatenateArgs = {}) {
    super(args);
    this.axis = args.axis ?? -1;
    if (this.axis === 0)
      throw new Error(`Invalid axis for ${this.where}: the batch axis (0) cannot be joined; received 0`);
  }

  /** The axis within a shape without the batch axis. */
  private featureAxis(rank: number): number {
    const ax = this.axis < 0 ? this.axis + rank + 1 : this.axis;
    if (ax < 1 || ax > rank)
      throw new Error(
        `Invalid axis for ${this.where}: expected an axis of inputs of rank ${rank + 1} (batch included); ` +
          `received ${formatValue(this.axis)}`,
      );
    return ax - 1;
  }

  protected override mergedShape(shapes: number[][]): number[] {
    const first = shapes[0]!;
    const ax = this.featureAxis(first.length);
    for (const s of shapes) {
      if (s.length !== first.length || s.some((d, i) => i !== ax && d !== first[i]))
        throw new Error(
          `${this.where}: inputs must agree on every axis but ${this.axis}; received ` +
            `${shapes.map(shapeText).join(', ')}`,
        );
    }
    return first.map((d, i) => (i === ax ? shapes.reduce((n, s) => n + s[i]!, 0) : d));
  }

  override callList(xs: readonly Tensor[]): Tensor {
    return concat(xs, this.axis);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }

  /** Units are pooled: the output's moments are the branches' weighted by their widths; gradients are sliced. */
  override momentRuleList(xs: readonly Moments[]): MergeMomentStep | null {
    const shapes = this.builtInputShapes;
    if (shapes === null) return null;
    const ax = this.featureAxis(shapes[0]!.length);
    const widths = shapes.map((s) => s[ax]!);
    const total = widths.reduce((a, b) => a + b, 0);
    const avg = (f: (m: Moments) => number) => xs.reduce((acc, m, i) => acc + (f(m) * widths[i]!) / total, 0);
    return {
      out: { mean: avg((m) => m.mean), second: avg((m) => m.second), cross: avg((m) => m.cross) },
      backward: (g2) => xs.map(() => g2),
    };
  }
}

registerLayer(Add);
registerLayer(Subtract);
registerLayer(Average);
registerLayer(Multiply);
registerLayer(Maximum);
registerLayer(Minimum);
registerLayer(Concatenate);
