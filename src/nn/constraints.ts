/**
 * Weight constraints (Keras 3 `keras/src/constraints/constraints.py`): applied to a
 * variable's values after each optimizer update (Keras: after `apply_gradients`).
 * Norms are L2 norms over `axis` (kept per remaining index; for a Dense kernel
 * [in, units] and axis 0: one norm per unit), with Keras's ε = 1e-7 in the divisor:
 *   MaxNorm:    w · clip(‖w‖, 0, maxValue) / (ε + ‖w‖)
 *   UnitNorm:   w / (ε + ‖w‖)
 *   MinMaxNorm: w · (rate·clip(‖w‖, minValue, maxValue) + (1 − rate)·‖w‖) / (ε + ‖w‖)
 *   NonNeg:     max(w, 0)
 * By Keras name ('max_norm', 'unit_norm', 'min_max_norm', 'non_neg'; camelCase too),
 * by Keras config object ({class_name, config}) or as an instance.
 * @example new layers.Dense(10, { kernelConstraint: new constraints.MaxNorm({ maxValue: 3 }) })
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { Registry } from './registry.js';
import { fromRegistry, isKerasObject, type Factory, type KerasObject } from './keras-config.js';
import { checkArgs, formatValue, invalidArgError, type ArgSpec } from '../util/args.js';

/** Keras `backend.epsilon()`. */
export const EPSILON = 1e-7;

/** An axis or a list of axes (negative counts from the end), as Keras's `axis`. */
export type Axis = number | readonly number[];

export abstract class Constraint {
  /** The Keras class name, e.g. 'MaxNorm'. */
  abstract readonly className: string;

  /** Replaces `values` (laid out as `shape`) by their constrained values. */
  abstract applyInPlace(values: Float32Array, shape: readonly number[]): void;

  /** Keras config (snake_case keys). */
  getConfig(): Record<string, unknown> {
    return {};
  }

  /** Throws unless this constraint can apply to a weight of `shape` (checked when the weight is created). */
  check(_shape: readonly number[], _where: string): void {}

  /** The constrained values of `w` as a new tensor (Keras `constraint(w)`); `w` is unchanged. */
  call(w: Tensor): Tensor {
    const out = Float32Array.from(w.data);
    this.applyInPlace(out, w.shape);
    return new Tensor(out, [...w.shape]);
  }
}

function checkAxis(axis: unknown, where: string): Axis {
  const ok = (a: unknown) => typeof a === 'number' && Number.isInteger(a);
  if (ok(axis)) return axis as number;
  if (Array.isArray(axis) && axis.length > 0 && axis.every(ok)) return [...(axis as number[])];
  throw invalidArgError('axis', where, 'an integer or a non-empty list of integers', axis);
}

/** The axes of `axis` for a weight of rank `rank`, in [0, rank), or an error naming the weight. */
function resolveAxes(axis: Axis, shape: readonly number[], where: string): number[] {
  const rank = shape.length;
  const list = typeof axis === 'number' ? [axis] : axis;
  const out = list.map((a) => (a < 0 ? a + rank : a));
  if (out.some((a) => a < 0 || a >= rank) || new Set(out).size !== out.length) {
    throw new Error(
      `${where}: axis ${formatValue(axis)} does not fit a weight of shape ${formatShape(shape)} (rank ${rank})`,
    );
  }
  return out;
}

/**
 * Σw² over `axes` for every index of the other axes; returns the group of each value and the norms.
 * (For a row-major [in, units] kernel and axis 0, value i·units + j belongs to group j.)
 */
function groupNorms(
  values: Float32Array,
  shape: readonly number[],
  axes: readonly number[],
): [Int32Array, Float64Array] {
  const rank = shape.length;
  // Stride of each axis in the reduced (kept-axes) layout; reduced axes have stride 0.
  const reducedStride = new Array<number>(rank).fill(0);
  let groups = 1;
  for (let a = rank - 1; a >= 0; a--) {
    if (axes.includes(a)) continue;
    reducedStride[a] = groups;
    groups *= shape[a]!;
  }
  const group = new Int32Array(values.length);
  const norms = new Float64Array(groups);
  const index = new Array<number>(rank).fill(0);
  let g = 0;
  for (let i = 0; i < values.length; i++) {
    group[i] = g;
    norms[g]! += values[i]! * values[i]!;
    for (let a = rank - 1; a >= 0; a--) {
      index[a]!++;
      g += reducedStride[a]!;
      if (index[a]! < shape[a]!) break;
      g -= reducedStride[a]! * shape[a]!;
      index[a] = 0;
    }
  }
  for (let k = 0; k < groups; k++) norms[k] = Math.sqrt(norms[k]!);
  return [group, norms];
}

/** Scales each group by desired(‖w‖)/(ε + ‖w‖). */
function rescale(
  values: Float32Array,
  shape: readonly number[],
  axis: Axis,
  where: string,
  desired: (norm: number) => number,
): void {
  const [group, norms] = groupNorms(values, shape, resolveAxes(axis, shape, where));
  const factor = norms.map((n) => desired(n) / (EPSILON + n));
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * factor[group[i]!]!;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export interface MaxNormArgs {
  /** The largest norm allowed (≥ 0). Default 2. */
  maxValue?: number;
  /** Axis (or axes) the norm is taken over. Default 0: each column of a Dense kernel [in, units]. */
  axis?: Axis;
}

const AXIS_SPEC: ArgSpec = { axis: { type: 'any' } };

export class MaxNorm extends Constraint {
  readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: Axis;

  /** @example new constraints.MaxNorm({ maxValue: 3 }) */
  constructor(args: MaxNormArgs = {}) {
    super();
    checkArgs(args, { maxValue: { type: 'number', min: 0 }, ...AXIS_SPEC }, 'MaxNorm');
    this.maxValue = args.maxValue ?? 2;
    this.axis = checkAxis(args.axis ?? 0, 'MaxNorm');
  }

  applyInPlace(values: Float32Array, shape: readonly number[]): void {
    rescale(values, shape, this.axis, 'MaxNorm', (n) => clamp(n, 0, this.maxValue));
  }

  override check(shape: readonly number[], where: string): void {
    resolveAxes(this.axis, shape, `${where} (MaxNorm)`);
  }

  override getConfig(): Record<string, unknown> {
    return { max_value: this.maxValue, axis: this.axis };
  }
}

export interface UnitNormArgs {
  /** Axis (or axes) the norm is taken over. Default 0. */
  axis?: Axis;
}

export class UnitNorm extends Constraint {
  readonly className = 'UnitNorm';
  readonly axis: Axis;

  /** @example new constraints.UnitNorm({ axis: 0 }) */
  constructor(args: UnitNormArgs = {}) {
    super();
    checkArgs(args, AXIS_SPEC, 'UnitNorm');
    this.axis = checkAxis(args.axis ?? 0, 'UnitNorm');
  }

  applyInPlace(values: Float32Array, shape: readonly number[]): void {
    rescale(values, shape, this.axis, 'UnitNorm', () => 1);
  }

  override check(shape: readonly number[], where: string): void {
    resolveAxes(this.axis, shape, `${where} (UnitNorm)`);
  }

  override getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

export interface MinMaxNormArgs {
  /** The smallest norm (≥ 0). Default 0. */
  minValue?: number;
  /** The largest norm (≥ minValue). Default 1. */
  maxValue?: number;
  /** How far to move towards the interval each step, in [0, 1]: 1 (default) enforces it strictly. */
  rate?: number;
  /** Axis (or axes) the norm is taken over. Default 0. */
  axis?: Axis;
}

const MIN_MAX_SPEC: ArgSpec = {
  minValue: { type: 'number', min: 0 },
  maxValue: { type: 'number', min: 0 },
  rate: { type: 'number', min: 0, max: 1 },
  ...AXIS_SPEC,
};

export class MinMaxNorm extends Constraint {
  readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: Axis;

  /** @example new constraints.MinMaxNorm({ minValue: 0.5, maxValue: 1, rate: 0.5 }) */
  constructor(args: MinMaxNormArgs = {}) {
    super();
    checkArgs(args, MIN_MAX_SPEC, 'MinMaxNorm');
    this.minValue = args.minValue ?? 0;
    this.maxValue = args.maxValue ?? 1;
    this.rate = args.rate ?? 1;
    this.axis = checkAxis(args.axis ?? 0, 'MinMaxNorm');
    if (this.minValue > this.maxValue)
      throw invalidArgError('maxValue', 'MinMaxNorm', `a number ≥ minValue (${this.minValue})`, this.maxValue);
  }

  applyInPlace(values: Float32Array, shape: readonly number[]): void {
    const { minValue, maxValue, rate } = this;
    rescale(values, shape, this.axis, 'MinMaxNorm', (n) => rate * clamp(n, minValue, maxValue) + (1 - rate) * n);
  }

  override check(shape: readonly number[], where: string): void {
    resolveAxes(this.axis, shape, `${where} (MinMaxNorm)`);
  }

  override getConfig(): Record<string, unknown> {
    return { min_value: this.minValue, max_value: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/** max(w, 0). */
export class NonNeg extends Constraint {
  readonly className = 'NonNeg';

  constructor(args: Record<string, never> = {}) {
    super();
    checkArgs(args, {}, 'NonNeg');
  }

  applyInPlace(values: Float32Array): void {
    for (let i = 0; i < values.length; i++) if (values[i]! < 0) values[i] = 0;
  }
}

/** Keras's shortcuts: `constraints.maxNorm({ maxValue: 3 })` is `new MaxNorm({ maxValue: 3 })`. */
export const maxNorm = (args: MaxNormArgs = {}): MaxNorm => new MaxNorm(args);
export const unitNorm = (args: UnitNormArgs = {}): UnitNorm => new UnitNorm(args);
export const minMaxNorm = (args: MinMaxNormArgs = {}): MinMaxNorm => new MinMaxNorm(args);
export const nonNeg = (): NonNeg => new NonNeg();

/** Keras's string identifiers for constraints (camelCase forms are accepted too). */
export type ConstraintIdentifier =
  'max_norm' | 'unit_norm' | 'min_max_norm' | 'non_neg' | 'maxNorm' | 'unitNorm' | 'minMaxNorm' | 'nonNeg';

/** What a `...Constraint` option accepts: a name, a Keras config object, an instance, or null (none). */
export type ConstraintLike = ConstraintIdentifier | string | KerasObject | Constraint | null;

const registry = new Registry<Factory<Constraint>>('constraint');
registry.add('MaxNorm', { create: (a) => new MaxNorm(a), keys: ['maxValue', 'axis'] }, ['maxNorm']);
registry.add('UnitNorm', { create: (a) => new UnitNorm(a), keys: ['axis'] }, ['unitNorm']);
const minMaxKeys = ['minValue', 'maxValue', 'rate', 'axis'];
registry.add('MinMaxNorm', { create: (a) => new MinMaxNorm(a), keys: minMaxKeys }, ['minMaxNorm']);
registry.add('NonNeg', { create: () => new NonNeg(), keys: [] }, ['nonNeg']);

/** A constraint from a Keras name, a Keras config object or an instance (returned as is); null for null/undefined. */
export function get(identifier: ConstraintLike | undefined, where?: string): Constraint | null {
  if (identifier === undefined || identifier === null) return null;
  if (identifier instanceof Constraint) return identifier;
  if (typeof identifier === 'string' || isKerasObject(identifier)) {
    return fromRegistry(registry, identifier, where, 'constraints.get', Constraint);
  }
  throw new Error(
    `${where ?? 'constraints.get'}: expected a constraint name ('max_norm', 'unit_norm', 'min_max_norm', ` +
      `'non_neg'), a {class_name, config} object, a Constraint or null; received ${formatValue(identifier)}`,
  );
}

/** The Keras config object of a constraint, or null. */
export function serialize(constraint: Constraint | null): KerasObject | null {
  return constraint === null ? null : { class_name: constraint.className, config: constraint.getConfig() };
}

export function constraintNames(): readonly string[] {
  return registry.names();
}

/**
 * A constraint config in the TF.js dialect: TF.js has the same four classes and config keys,
 * but its `axis` is a single integer, so a list of several axes is refused.
 */
export function toTfjs(object: KerasObject, where: string): KerasObject {
  if (!registry.names().includes(object.class_name)) {
    throw new Error(`${where}: the ${object.class_name} constraint cannot be written in the TF.js layers format`);
  }
  const config = { ...(object.config ?? {}) };
  if (Array.isArray(config.axis)) {
    if (config.axis.length !== 1) {
      throw new Error(
        `${where}: ${object.class_name} over axes ${formatValue(config.axis)} cannot be written in the TF.js ` +
          `layers format, whose constraints take a single axis\nhelp: keep the model in Keel`,
      );
    }
    config.axis = config.axis[0];
  }
  return { class_name: object.class_name, config };
}
