/**
 * BatchNormalization (Ioffe & Szegedy 2015) with Keras semantics: training mode
 * (training && trainable) normalizes with batch statistics and updates
 * moving = momentum·moving + (1 − momentum)·batch (biased variance);
 * inference mode uses the moving statistics and changes nothing.
 */
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../autograd/variable.js';
import { batchNormInference, batchNormTrain } from '../../ops/batch-norm.js';
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

export interface BatchNormalizationArgs extends LayerArgs {
  /** Only the last axis (-1) is supported. */
  axis?: number;
  /** Moving-average momentum. Default 0.99 (PyTorch's 0.1 means Keras's 0.9). */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-3. */
  epsilon?: number;
  /** Learn an offset beta. Default true. */
  center?: boolean;
  /** Learn a scale gamma. Default true. */
  scale?: boolean;
  betaInitializer?: InitId;
  gammaInitializer?: InitId;
  movingMeanInitializer?: InitId;
  movingVarianceInitializer?: InitId;
  /** Penalty on beta (the offset). Default none. */
  betaRegularizer?: regularizers.RegularizerLike;
  /** Penalty on gamma (the scale). Default none. */
  gammaRegularizer?: regularizers.RegularizerLike;
  /** Constraint on beta after each update. Default none. */
  betaConstraint?: constraints.ConstraintLike;
  /** Constraint on gamma after each update, e.g. 'non_neg'. Default none. */
  gammaConstraint?: constraints.ConstraintLike;
}

export class BatchNormalization extends Layer {
  static readonly className = 'BatchNormalization';
  static readonly argSpec: LayerArgSpec = {
    axis: { type: 'any' },
    momentum: { type: 'number', min: 0, max: 1 },
    epsilon: {
      type: 'number',
      min: 0,
      minExclusive: true,
      max: 1,
      help: "epsilon is added to the variance; Keras's default is 0.001 (an epsilon near 1 or above drowns it)",
    },
    center: { type: 'boolean' },
    scale: { type: 'boolean' },
    betaInitializer: { type: 'any' },
    gammaInitializer: { type: 'any' },
    movingMeanInitializer: { type: 'any' },
    movingVarianceInitializer: { type: 'any' },
    betaRegularizer: { type: 'any' },
    gammaRegularizer: { type: 'any' },
    betaConstraint: { type: 'any' },
    gammaConstraint: { type: 'any' },
    synchronized: 'unsupported',
    renorm: 'unsupported',
    renormClipping: 'unsupported',
    renormMomentum: { type: 'any' },
  };
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly inits: Record<'beta' | 'gamma' | 'movingMean' | 'movingVariance', initializers.Initializer>;
  readonly betaRegularizer: regularizers.Regularizer | null;
  readonly gammaRegularizer: regularizers.Regularizer | null;
  readonly betaConstraint: constraints.Constraint | null;
  readonly gammaConstraint: constraints.Constraint | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;
  /** A positive axis as tf.keras 2 saves it ([1] after a Dense), checked to be the last at build; else null. */
  private readonly positiveAxis: number | null;

  /** @example new layers.BatchNormalization({ momentum: 0.9 }) */
  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    const axis = args.axis as unknown;
    const single = Array.isArray(axis) && axis.length === 1 ? (axis[0] as unknown) : axis;
    // tf.keras 2 saves the axis resolved at build, as a list: [1] after a Dense, [3] after a Conv2D. A
    // positive axis is accepted here and checked against the input's rank when the weights are planned.
    if (single !== undefined && single !== -1 && !(Number.isInteger(single) && (single as number) > 0)) {
      throw new Error(
        `Invalid axis for ${this.where}: only the last axis (-1) is supported; received ${formatValue(axis)}`,
      );
    }
    this.positiveAxis = single === undefined || single === -1 ? null : (single as number);
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    const at = (what: string) => `${this.where} ${what}`;
    this.inits = {
      beta: initializers.get(args.betaInitializer ?? 'zeros', at('betaInitializer')),
      gamma: initializers.get(args.gammaInitializer ?? 'ones', at('gammaInitializer')),
      movingMean: initializers.get(args.movingMeanInitializer ?? 'zeros', at('movingMeanInitializer')),
      movingVariance: initializers.get(args.movingVarianceInitializer ?? 'ones', at('movingVarianceInitializer')),
    };
    this.betaRegularizer = regularizers.get(args.betaRegularizer, at('betaRegularizer'));
    this.gammaRegularizer = regularizers.get(args.gammaRegularizer, at('gammaRegularizer'));
    this.betaConstraint = constraints.get(args.betaConstraint, at('betaConstraint'));
    this.gammaConstraint = constraints.get(args.gammaConstraint, at('gammaConstraint'));
  }

  /** gamma, beta, moving_mean, moving_variance: one per channel (the last axis). */
  override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const c = inputShape[inputShape.length - 1];
    if (c === undefined) throw new Error(`${this.where}: needs inputs of rank ≥ 2`);
    if (this.positiveAxis !== null && this.positiveAxis !== inputShape.length)
      throw new Error(
        `Invalid axis for ${this.where}: only the last axis is supported; received axis ${this.positiveAxis} for ` +
          `inputs of rank ${inputShape.length + 1} (the last axis is ${inputShape.length}, or -1)`,
      );
    const specs: WeightSpec[] = [];
    if (this.scale) {
      const [regularizer, constraint] = [this.gammaRegularizer, this.gammaConstraint];
      specs.push({ name: 'gamma', shape: [c], initializer: this.inits.gamma, regularizer, constraint });
    }
    if (this.center) {
      const [regularizer, constraint] = [this.betaRegularizer, this.betaConstraint];
      specs.push({ name: 'beta', shape: [c], initializer: this.inits.beta, regularizer, constraint });
    }
    specs.push({ name: 'moving_mean', shape: [c], initializer: this.inits.movingMean, trainable: false });
    specs.push({ name: 'moving_variance', shape: [c], initializer: this.inits.movingVariance, trainable: false });
    return specs;
  }

  override validateWeights(values: Readonly<Record<string, Float32Array>>, where: string): void {
    const v = values.moving_variance;
    const i = v === undefined ? -1 : v.findIndex((x) => !(x >= 0));
    if (v !== undefined && i >= 0)
      throw new Error(
        `${where}: moving_variance[${i}] is ${v[i]}, negative: a variance must be ≥ 0 (the file is damaged or ` +
          'was not written by a BatchNormalization)',
      );
  }

  override build(inputShape: number[]): void {
    const w = this.createWeights(inputShape);
    this.gamma = w.gamma ?? null;
    this.beta = w.beta ?? null;
    this.movingMean = w.moving_mean!;
    this.movingVariance = w.moving_variance!;
    super.build(inputShape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!(ctx.training && this.trainable)) {
      return batchNormInference(x, this.gamma, this.beta, this.movingMean!, this.movingVariance!, this.epsilon);
    }
    const { y, stats } = batchNormTrain(x, this.gamma, this.beta, this.epsilon);
    const m = this.momentum,
      mm = this.movingMean!.data,
      mv = this.movingVariance!.data;
    for (let j = 0; j < mm.length; j++) {
      mm[j] = m * mm[j]! + (1 - m) * stats.mean[j]!;
      mv[j] = m * mv[j]! + (1 - m) * stats.variance[j]!;
    }
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: -1,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: initializers.serialize(this.inits.beta),
      gamma_initializer: initializers.serialize(this.inits.gamma),
      moving_mean_initializer: initializers.serialize(this.inits.movingMean),
      moving_variance_initializer: initializers.serialize(this.inits.movingVariance),
      beta_regularizer: regularizers.serialize(this.betaRegularizer),
      gamma_regularizer: regularizers.serialize(this.gammaRegularizer),
      beta_constraint: constraints.serialize(this.betaConstraint),
      gamma_constraint: constraints.serialize(this.gammaConstraint),
    };
  }

  override doctorFacts(): LayerFacts {
    return { role: 'batch_normalization', fullyConnected: true };
  }

  /**
   * Each unit is normalized by its own batch statistics: the within-unit batch variance
   * v = E[x²] − E[x_a·x_b], not the pooled one; output γ²·v/(v + ε) with γ, β as
   * initialized (Ioffe & Szegedy 2015); the gradient is scaled by γ²/(v + ε).
   */
  override momentRule(x: Moments): MomentStep {
    const g2 = this.gamma ? meanSquare(this.gamma.data) : 1;
    const beta = this.beta ? meanOf(this.beta.data) : 0;
    const v = Math.max(0, x.second - x.cross),
      scale = (g2 * v) / (v + this.epsilon);
    return {
      out: { mean: beta, second: scale + beta * beta, cross: beta * beta },
      d2: 1,
      backward: (g) => (g * g2) / (v + this.epsilon),
      kernelFactor: null,
    };
  }
}

function meanOf(d: Float32Array): number {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]!;
  return s / Math.max(1, d.length);
}
function meanSquare(d: Float32Array): number {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
  return s / Math.max(1, d.length);
}

registerLayer(BatchNormalization);
