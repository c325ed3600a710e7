/**
 * Regularizers (Keras 3 `keras/src/regularizers/regularizers.py`): a penalty on a weight
 * (`kernelRegularizer`) or on a layer's output (`activityRegularizer`), summed into the
 * loss that training differentiates. Each penalty is a scalar built from `ops`, so the
 * tape gives its gradient:
 *   L1:   l1·Σ|w|            L2: l2·Σw² (no ½, as in Keras)        L1L2: both
 *   OrthogonalRegularizer: factor·½·Σ_{i≠j}|⟨r̂ᵢ, r̂ⱼ⟩| / (n(n−1)/2) over the L2-normalized
 *   rows (mode 'rows') or columns ('columns') of a rank-2 weight.
 * By Keras name ('l1', 'l2', 'l1_l2' or 'l1l2', 'orthogonal_regularizer'; camelCase too),
 * by Keras config object ({class_name, config}) or as an instance.
 * @example
 *   new layers.Dense(10, { kernelRegularizer: regularizers.l2(1e-4), activityRegularizer: 'l1' })
 *   regularizers.get({ class_name: 'L1L2', config: { l1: 0.01, l2: 0.001 } })
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { abs, add, maximum, mul, pow, square } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { matmul } from '../ops/matmul.js';
import { Registry } from './registry.js';
import { fromRegistry, isKerasObject, type Factory, type KerasObject } from './keras-config.js';
import { checkArgs, formatValue, type ArgRule, type ArgSpec } from '../util/args.js';

/** Keras `backend.epsilon()`. */
export const EPSILON = 1e-7;

/** Keras `validate_float_arg`: a finite number ≥ 0 (null means the default). */
const FACTOR: ArgRule = { type: 'number', min: 0, nullable: true };

export abstract class Regularizer {
  /** The Keras class name, e.g. 'L2'. */
  abstract readonly className: string;
  /** The penalty of `x`: a differentiable scalar (shape []). */
  abstract call(x: Tensor): Tensor;
  /** Keras config (snake_case keys). */
  abstract getConfig(): Record<string, unknown>;
}

/** l1·Σ|x| + l2·Σx², skipping a zero factor (as Keras does). */
function l1l2Penalty(x: Tensor, l1: number, l2: number): Tensor {
  let total: Tensor = new Tensor(new Float32Array(1), []);
  if (l1 !== 0) total = add(total, mul(sum(abs(x)), l1));
  if (l2 !== 0) total = add(total, mul(sum(square(x)), l2));
  return total;
}

export interface L1Args {
  /** The L1 factor (≥ 0). Default 0.01. */
  l1?: number | null;
}

/** l1·Σ|x|. */
export class L1 extends Regularizer {
  readonly className = 'L1';
  readonly l1: number;

  /** @example new regularizers.L1(0.001) or new regularizers.L1({ l1: 0.001 }) */
  constructor(l1: number | null | L1Args = {}) {
    super();
    const args = typeof l1 === 'object' && l1 !== null ? l1 : { l1 };
    this.l1 = checkArgs(args, { l1: FACTOR }, 'L1').l1 ?? 0.01;
  }

  call(x: Tensor): Tensor {
    return l1l2Penalty(x, this.l1, 0);
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }
}

export interface L2Args {
  /** The L2 factor (≥ 0). Default 0.01. */
  l2?: number | null;
}

/** l2·Σx² (Keras 3 has no ½: the gradient is 2·l2·x). */
export class L2 extends Regularizer {
  readonly className = 'L2';
  readonly l2: number;

  /** @example new regularizers.L2(1e-4) or new regularizers.L2({ l2: 1e-4 }) */
  constructor(l2: number | null | L2Args = {}) {
    super();
    const args = typeof l2 === 'object' && l2 !== null ? l2 : { l2 };
    this.l2 = checkArgs(args, { l2: FACTOR }, 'L2').l2 ?? 0.01;
  }

  call(x: Tensor): Tensor {
    return l1l2Penalty(x, 0, this.l2);
  }

  getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}

export interface L1L2Args {
  /** The L1 factor (≥ 0). Default 0 (Keras 3's class default; so is the string 'l1_l2'). */
  l1?: number | null;
  /** The L2 factor (≥ 0). Default 0. */
  l2?: number | null;
}

/** l1·Σ|x| + l2·Σx². */
export class L1L2 extends Regularizer {
  readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  /** @example new regularizers.L1L2({ l1: 1e-5, l2: 1e-4 }) */
  constructor(args: L1L2Args = {}) {
    super();
    checkArgs(args, { l1: FACTOR, l2: FACTOR }, 'L1L2');
    this.l1 = args.l1 ?? 0;
    this.l2 = args.l2 ?? 0;
  }

  call(x: Tensor): Tensor {
    return l1l2Penalty(x, this.l1, this.l2);
  }

  getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

export type OrthogonalMode = 'rows' | 'columns';

export interface OrthogonalRegularizerArgs {
  /** The factor (≥ 0). Default 0.01. */
  factor?: number;
  /** Make the rows ('rows', default) or the columns ('columns') of a rank-2 weight orthogonal. */
  mode?: OrthogonalMode;
}

const ORTHOGONAL_SPEC: ArgSpec = {
  factor: { type: 'number', min: 0 },
  mode: { type: 'string', oneOf: ['rows', 'columns'] },
};

/**
 * factor·½·mean over pairs i ≠ j of |⟨vᵢ, vⱼ⟩|, with vᵢ the L2-normalized rows (or columns),
 * normalized as Keras's `ops.normalize`: v·rsqrt(max(Σv², ε²)).
 */
export class OrthogonalRegularizer extends Regularizer {
  readonly className = 'OrthogonalRegularizer';
  readonly factor: number;
  readonly mode: OrthogonalMode;

  /** @example new regularizers.OrthogonalRegularizer({ factor: 0.01, mode: 'columns' }) */
  constructor(args: OrthogonalRegularizerArgs = {}) {
    super();
    checkArgs(args, ORTHOGONAL_SPEC, 'OrthogonalRegularizer');
    this.factor = args.factor ?? 0.01;
    this.mode = args.mode ?? 'rows';
  }

  call(x: Tensor): Tensor {
    if (x.rank !== 2)
      throw new Error(`OrthogonalRegularizer: inputs must have rank 2; received shape ${formatShape(x.shape)}`);
    const rows = this.mode === 'rows';
    const size = rows ? x.shape[0]! : x.shape[1]!;
    if (size < 2) {
      throw new Error(
        `OrthogonalRegularizer (mode '${this.mode}'): needs at least 2 ${this.mode} to compare; received shape ` +
          `${formatShape(x.shape)} (Keras divides by zero pairs here)`,
      );
    }
    const squares = sum(square(x), rows ? 1 : 0, true);
    const unit = mul(x, pow(maximum(squares, EPSILON * EPSILON), -0.5));
    const product = rows ? matmul(unit, unit, false, true) : matmul(unit, unit, true, false);
    const offDiagonal = new Float32Array(size * size).fill(1);
    for (let i = 0; i < size; i++) offDiagonal[i * size + i] = 0;
    const pairs = (size * (size - 1)) / 2;
    return mul(sum(abs(mul(product, new Tensor(offDiagonal, [size, size])))), (this.factor * 0.5) / pairs);
  }

  getConfig(): Record<string, unknown> {
    return { factor: this.factor, mode: this.mode };
  }
}

/** Keras's shortcuts: `regularizers.l2(1e-4)` is `new L2(1e-4)`. */
export const l1 = (factor?: number): L1 => new L1(factor ?? null);
export const l2 = (factor?: number): L2 => new L2(factor ?? null);
export const l1L2 = (args: L1L2Args = {}): L1L2 => new L1L2(args);
export const orthogonalRegularizer = (args: OrthogonalRegularizerArgs = {}): OrthogonalRegularizer =>
  new OrthogonalRegularizer(args);

/** Keras's string identifiers for regularizers (camelCase forms are accepted too). */
export type RegularizerIdentifier = 'l1' | 'l2' | 'l1_l2' | 'l1l2' | 'orthogonal_regularizer' | 'L1' | 'L2' | 'L1L2';

/** What a `...Regularizer` option accepts: a name, a Keras config object, an instance, or null (none). */
export type RegularizerLike = RegularizerIdentifier | string | KerasObject | Regularizer | null;

const registry = new Registry<Factory<Regularizer>>('regularizer');
registry.add('L1', { create: (a) => new L1(a), keys: ['l1'] });
registry.add('L2', { create: (a) => new L2(a), keys: ['l2'] });
registry.add('L1L2', { create: (a) => new L1L2(a), keys: ['l1', 'l2'] }, ['l1l2', 'l1L2']);
registry.add('OrthogonalRegularizer', { create: (a) => new OrthogonalRegularizer(a), keys: ['factor', 'mode'] }, [
  'orthogonalRegularizer',
]);

/** A regularizer from a Keras name, a Keras config object or an instance (returned as is); null for null/undefined. */
export function get(identifier: RegularizerLike | undefined, where?: string): Regularizer | null {
  if (identifier === undefined || identifier === null) return null;
  if (identifier instanceof Regularizer) return identifier;
  if (typeof identifier === 'string' || isKerasObject(identifier)) {
    return fromRegistry(registry, identifier, where, 'regularizers.get', Regularizer);
  }
  throw new Error(
    `${where ?? 'regularizers.get'}: expected a regularizer name ('l1', 'l2', 'l1_l2', 'orthogonal_regularizer'), ` +
      `a {class_name, config} object, a Regularizer or null; received ${formatValue(identifier)}`,
  );
}

/** The Keras config object of a regularizer, or null. */
export function serialize(regularizer: Regularizer | null): KerasObject | null {
  return regularizer === null ? null : { class_name: regularizer.className, config: regularizer.getConfig() };
}

export function regularizerNames(): readonly string[] {
  return registry.names();
}

/**
 * A regularizer config in the TF.js dialect: TF.js knows only L1L2 (its l1()/l2() are L1L2 with
 * the other factor 0), so L1 and L2 are written as L1L2; anything else is refused.
 */
export function toTfjs(object: KerasObject, where: string): KerasObject {
  const config = object.config ?? {};
  const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);
  switch (object.class_name) {
    case 'L1':
      return { class_name: 'L1L2', config: { l1: num(config.l1, 0.01), l2: 0 } };
    case 'L2':
      return { class_name: 'L1L2', config: { l1: 0, l2: num(config.l2, 0.01) } };
    case 'L1L2':
      return { class_name: 'L1L2', config: { l1: num(config.l1, 0), l2: num(config.l2, 0) } };
    default:
      throw new Error(
        `${where}: the ${object.class_name} regularizer cannot be written in the TF.js layers format, which ` +
          `knows only L1L2 (and so L1, L2)\nhelp: keep the model in Keel, or remove the regularizer before saving ` +
          `(it only matters for training)`,
      );
  }
}
