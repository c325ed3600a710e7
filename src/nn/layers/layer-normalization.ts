/**
 * LayerNormalization (Ba et al. 2016; Keras 3): each example normalized over its last axis with the biased
 * variance, y = γ·(x − mean)/sqrt(var + ε) + β. Keras's ε is 1e-3 (PyTorch's LayerNorm uses 1e-5). The same in
 * training and inference; no moving statistics. Only the last axis is supported, and not rms_scaling.
 */
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../autograd/variable.js';
import { layerNorm } from '../../ops/layer-norm.js';
import * as initializers from '../initializers/index.js';
import * as regularizers from '../regularizers.js';
import * as constraints from '../constraints.js';
import type { KerasObject } from '../keras-config.js';
import { formatValue } from '../../util/args.js';
import {
  Layer,
  type CallContext,
  type LayerArgs,
  type LayerArgSpec,
  type LayerFacts,
  type WeightSpec,
} from './layer.js';
import type { MomentStep, Moments } from './moments.js';
import { registerLayer } from './serialize.js';

type InitId = initializers.InitializerIdentifier | KerasObject | initializers.Initializer;

export interface LayerNormalizationArgs extends LayerArgs {
  /** Only the last axis (-1) is supported. */
  axis?: number | number[];
  /** Added to the variance before the square root. Default 1e-3 (PyTorch: 1e-5). */
  epsilon?: number;
  /** Learn an offset beta. Default true. */
  center?: boolean;
  /** Learn a scale gamma. Default true. */
  scale?: boolean;
  betaInitializer?: InitId;
  gammaInitializer?: InitId;
  betaRegularizer?: regularizers.RegularizerLike;
  gammaRegularizer?: regularizers.RegularizerLike;
  betaConstraint?: constraints.ConstraintLike;
  gammaConstraint?: constraints.ConstraintLike;
}

export class LayerNormalization extends Layer {
  static readonly className = 'LayerNormalization';
  static readonly argSpec: LayerArgSpec = {
    axis: { type: 'any' },
    epsilon: { type: 'number', min: 0, minExclusive: true },
    center: { type: 'boolean' },
    scale: { type: 'boolean' },
    rmsScaling: 'unsupported',
    betaInitializer: { type: 'any' },
    gammaInitializer: { type: 'any' },
    betaRegularizer: { type: 'any' },
    gammaRegularizer: { type: 'any' },
    betaConstraint: { type: 'any' },
    gammaConstraint: { type: 'any' },
  };
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: initializers.Initializer;
  readonly gammaInitializer: initializers.Initializer;
  readonly betaRegularizer: regularizers.Regularizer | null;
  readonly gammaRegularizer: regularizers.Regularizer | null;
  readonly betaConstraint: constraints.Constraint | null;
  readonly gammaConstraint: constraints.Constraint | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;

  /** @example new layers.LayerNormalization({ epsilon: 1e-5 }) */
  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    const axis = args.axis as unknown;
    if (axis !== undefined && axis !== -1 && !(Array.isArray(axis) && axis.length === 1 && axis[0] === -1)) {
      throw new Error(
        `Invalid axis for ${this.where}: only the last axis (-1) is supported; received ${formatValue(axis)}`,
      );
    }
    const at = (what: string) => `${this.where} ${what}`;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = initializers.get(args.betaInitializer ?? 'zeros', at('betaInitializer'));
    this.gammaInitializer = initializers.get(args.gammaInitializer ?? 'ones', at('gammaInitializer'));
    this.betaRegularizer = regularizers.get(args.betaRegularizer, at('betaRegularizer'));
    this.gammaRegularizer = regularizers.get(args.gammaRegularizer, at('gammaRegularizer'));
    this.betaConstraint = constraints.get(args.betaConstraint, at('betaConstraint'));
    this.gammaConstraint = constraints.get(args.gammaConstraint, at('gammaConstraint'));
  }

  override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const c = inputShape[inputShape.length - 1];
    if (c === undefined) throw new Error(`${this.where}: needs inputs of rank ≥ 2`);
    const specs: WeightSpec[] = [];
    if (this.scale) {
      const [regularizer, constraint] = [this.gammaRegularizer, this.gammaConstraint];
      specs.push({ name: 'gamma', shape: [c], initializer: this.gammaInitializer, regularizer, constraint });
    }
    if (this.center) {
      const [regularizer, constraint] = [this.betaRegularizer, this.betaConstraint];
      specs.push({ name: 'beta', shape: [c], initializer: this.betaInitializer, regularizer, constraint });
    }
    return specs;
  }

  override build(inputShape: number[]): void {
    const w = this.createWeights(inputShape);
    this.gamma = w.gamma ?? null;
    this.beta = w.beta ?? null;
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return layerNorm(x, this.gamma, this.beta, this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: -1,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rms_scaling: false,
      beta_initializer: initializers.serialize(this.betaInitializer),
      gamma_initializer: initializers.serialize(this.gammaInitializer),
      beta_regularizer: regularizers.serialize(this.betaRegularizer),
      gamma_regularizer: regularizers.serialize(this.gammaRegularizer),
      beta_constraint: constraints.serialize(this.betaConstraint),
      gamma_constraint: constraints.serialize(this.gammaConstraint),
    };
  }

  override doctorFacts(): LayerFacts {
    return { role: 'layer_normalization', fullyConnected: true };
  }

  /**
   * Each example is normalized over its n = width units: with the pooled moments as the per-example ones,
   * v = E[x²] − E[x]², the output is γ²·v/(v + ε) + β² (its mean β), and the gradient's second moment is
   * scaled by
   * γ²/(v + ε) (the projection onto the normalized directions removes O(1/n) of it).
   */
  override momentRule(x: Moments): MomentStep {
    const g2 = this.gamma ? meanSquare(this.gamma.data) : 1;
    const beta = this.beta ? meanOf(this.beta.data) : 0;
    const v = Math.max(0, x.second - x.mean * x.mean),
      s = (g2 * v) / (v + this.epsilon);
    const vCross = Math.max(0, x.cross - x.mean * x.mean);
    const crossScale = v > 0 ? (s * vCross) / v : 0;
    return {
      out: { mean: beta, second: s + beta * beta, cross: crossScale + beta * beta },
      d2: 1,
      backward: (g) => (g * g2) / (v + this.epsilon),
      kernelFactor: null,
    };
  }
}

function meanOf(d: Float32Array): number {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]!;
  return d.length > 0 ? s / d.length : 0;
}

function meanSquare(d: Float32Array): number {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
  return d.length > 0 ? s / d.length : 0;
}

registerLayer(LayerNormalization);
