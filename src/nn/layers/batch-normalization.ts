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
import type { KerasObject } from '../config.js';
import { Layer, type CallContext, type LayerArgs } from './layer.js';

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
}

export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly inits: Record<'beta' | 'gamma' | 'movingMean' | 'movingVariance', initializers.Initializer>;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, 'batch_normalization');
    const where = `BatchNormalization '${this.name}'`;
    if (args.axis !== undefined && args.axis !== -1 && !(Array.isArray(args.axis) && (args.axis as number[]).length === 1 && (args.axis as number[])[0] === -1)) {
      throw new Error(`Invalid axis for ${where}: only the last axis (-1) is supported; received ${JSON.stringify(args.axis)}`);
    }
    this.momentum = args.momentum ?? 0.99;
    if (typeof this.momentum !== 'number' || !(this.momentum >= 0 && this.momentum <= 1)) throw new Error(`Invalid momentum for ${where}: expected a number in [0, 1]; received ${JSON.stringify(args.momentum)}`);
    this.epsilon = args.epsilon ?? 1e-3;
    if (typeof this.epsilon !== 'number' || !(this.epsilon > 0)) throw new Error(`Invalid epsilon for ${where}: expected a positive number; received ${JSON.stringify(args.epsilon)}`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.inits = {
      beta: initializers.get(args.betaInitializer ?? 'zeros', `${where} betaInitializer`),
      gamma: initializers.get(args.gammaInitializer ?? 'ones', `${where} gammaInitializer`),
      movingMean: initializers.get(args.movingMeanInitializer ?? 'zeros', `${where} movingMeanInitializer`),
      movingVariance: initializers.get(args.movingVarianceInitializer ?? 'ones', `${where} movingVarianceInitializer`),
    };
  }

  override build(inputShape: number[]): void {
    const c = inputShape[inputShape.length - 1];
    if (c === undefined) throw new Error(`BatchNormalization '${this.name}': needs inputs of rank ≥ 2`);
    if (this.scale) this.gamma = this.addWeight('gamma', [c], this.inits.gamma);
    if (this.center) this.beta = this.addWeight('beta', [c], this.inits.beta);
    this.movingMean = this.addWeight('moving_mean', [c], this.inits.movingMean, false);
    this.movingVariance = this.addWeight('moving_variance', [c], this.inits.movingVariance, false);
    super.build(inputShape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!(ctx.training && this.trainable)) {
      return batchNormInference(x, this.gamma, this.beta, this.movingMean!, this.movingVariance!, this.epsilon);
    }
    const { y, stats } = batchNormTrain(x, this.gamma, this.beta, this.epsilon);
    const m = this.momentum, mm = this.movingMean!.data, mv = this.movingVariance!.data;
    for (let j = 0; j < mm.length; j++) {
      mm[j] = m * mm[j]! + (1 - m) * stats.mean[j]!;
      mv[j] = m * mv[j]! + (1 - m) * stats.variance[j]!;
    }
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), axis: -1, momentum: this.momentum, epsilon: this.epsilon, center: this.center, scale: this.scale,
      beta_initializer: initializers.serialize(this.inits.beta),
      gamma_initializer: initializers.serialize(this.inits.gamma),
      moving_mean_initializer: initializers.serialize(this.inits.movingMean),
      moving_variance_initializer: initializers.serialize(this.inits.movingVariance),
      beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
    };
  }
}
