/** LeakyReLU, PReLU and ELU as layers (Keras `layers/activations`). */
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../autograd/variable.js';
import { activation } from '../../ops/activation.js';
import { prelu } from '../../ops/prelu.js';
import { ActivationCode } from '../../kernels/backend.js';
import * as initializers from '../initializers/index.js';
import * as regularizers from '../regularizers.js';
import * as constraints from '../constraints.js';
import type { ActivationSpec } from '../activations.js';
import type { KerasObject } from '../keras-config.js';
import type { LayerEntry } from '../serialization/tfjs-activation.js';
import {
  Layer,
  type CallContext,
  type LayerArgs,
  type LayerArgSpec,
  type LayerFacts,
  type WeightSpec,
} from './layer.js';
import { activationStep, type MomentStep, type MomentTools, type Moments } from './moments.js';
import { registerLayer } from './serialize.js';

export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0. Default 0.3 (the layer's default; the function's is 0.2). */
  negativeSlope?: number;
  /** Keras 2 / TF.js name for negativeSlope; accepted and overrides it, as in Keras 3. */
  alpha?: number;
}

/** x if x ≥ 0 else negativeSlope·x. */
export class LeakyReLU extends Layer {
  static readonly className = 'LeakyReLU';
  static readonly argSpec: LayerArgSpec = {
    negativeSlope: { type: 'number', min: 0 },
    alpha: { type: 'number', min: 0 },
  };
  readonly negativeSlope: number;

  /** @example new layers.LeakyReLU({ negativeSlope: 0.2 }) */
  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    this.negativeSlope = args.alpha ?? args.negativeSlope ?? 0.3;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return activation(x, ActivationCode.LeakyRelu, this.negativeSlope);
  }

  /** Keras 3 writes `negative_slope` (and reads `alpha` too). */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), negative_slope: this.negativeSlope };
  }

  override activationSpec(): ActivationSpec {
    return { name: 'leaky_relu', code: ActivationCode.LeakyRelu, param: this.negativeSlope };
  }

  override doctorFacts(): LayerFacts {
    return { role: 'activation', fullyConnected: true };
  }

  override momentRule(x: Moments, tools: MomentTools): MomentStep {
    return activationStep({ code: ActivationCode.LeakyRelu, param: this.negativeSlope }, x, tools);
  }

  /** TF.js and tf.keras 2 read the slope as `alpha`. */
  override tfjsEntries(config: Record<string, unknown>): LayerEntry[] {
    const { negative_slope: slope, ...rest } = config;
    return [{ class_name: this.className, config: { ...rest, alpha: slope } }];
  }
}

export interface PReLUArgs extends LayerArgs {
  /** Initializer of the learned slopes. Default 'zeros' (starts as ReLU; PyTorch uses 0.25). */
  alphaInitializer?: initializers.InitializerIdentifier | KerasObject | initializers.Initializer;
  /** Not supported (must be null): one slope per feature. */
  sharedAxes?: null;
  /** Penalty on the slopes. Default none. */
  alphaRegularizer?: regularizers.RegularizerLike;
  /** Constraint on the slopes after each update, e.g. 'non_neg'. Default none. */
  alphaConstraint?: constraints.ConstraintLike;
}

/** x if x > 0 else α·x with α learned per feature (He et al. 2015). */
export class PReLU extends Layer {
  static readonly className = 'PReLU';
  static readonly argSpec: LayerArgSpec = {
    alphaInitializer: { type: 'any' },
    sharedAxes: 'unsupported',
    alphaRegularizer: { type: 'any' },
    alphaConstraint: { type: 'any' },
  };
  readonly alphaInitializer: initializers.Initializer;
  readonly alphaRegularizer: regularizers.Regularizer | null;
  readonly alphaConstraint: constraints.Constraint | null;
  alpha: Variable | null = null;

  constructor(args: PReLUArgs = {}) {
    super(args);
    this.alphaInitializer = initializers.get(args.alphaInitializer ?? 'zeros', `${this.where} alphaInitializer`);
    this.alphaRegularizer = regularizers.get(args.alphaRegularizer, `${this.where} alphaRegularizer`);
    this.alphaConstraint = constraints.get(args.alphaConstraint, `${this.where} alphaConstraint`);
  }

  override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const [regularizer, constraint] = [this.alphaRegularizer, this.alphaConstraint];
    return [{ name: 'alpha', shape: [...inputShape], initializer: this.alphaInitializer, regularizer, constraint }];
  }

  override build(inputShape: number[]): void {
    this.alpha = this.createWeights(inputShape).alpha!;
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return prelu(x, this.alpha!);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      alpha_initializer: initializers.serialize(this.alphaInitializer),
      alpha_regularizer: regularizers.serialize(this.alphaRegularizer),
      alpha_constraint: constraints.serialize(this.alphaConstraint),
      shared_axes: null,
    };
  }

  /** A leaky ReLU whose slope is the mean of the current slopes (0 before building with the default 'zeros'). */
  override activationSpec(): ActivationSpec {
    const a = this.alpha?.data;
    let mean = 0;
    if (a !== undefined) {
      for (let i = 0; i < a.length; i++) mean += a[i]!;
      mean /= Math.max(1, a.length);
    }
    return { name: 'prelu', code: ActivationCode.LeakyRelu, param: mean };
  }

  override doctorFacts(): LayerFacts {
    return { role: 'activation', fullyConnected: true };
  }

  /** At initialization every slope is drawn from alphaInitializer: a leaky ReLU with its mean slope. */
  override momentRule(x: Moments, tools: MomentTools): MomentStep {
    const slope = tools.weight(this.alphaInitializer, [1]).mean;
    return activationStep({ code: ActivationCode.LeakyRelu, param: slope }, x, tools);
  }
}

export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part. Default 1 (other values make ELU non-differentiable at 0). */
  alpha?: number;
}

/** x if x > 0 else α(eˣ − 1) (Clevert et al. 2016). */
export class ELU extends Layer {
  static readonly className = 'ELU';
  static readonly argSpec: LayerArgSpec = { alpha: { type: 'number' } };
  readonly alpha: number;

  /** @example new layers.ELU({ alpha: 1 }) */
  constructor(args: ELUArgs = {}) {
    super(args);
    this.alpha = args.alpha ?? 1;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return activation(x, ActivationCode.Elu, this.alpha);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }

  override activationSpec(): ActivationSpec {
    return { name: 'elu', code: ActivationCode.Elu, param: this.alpha };
  }

  override doctorFacts(): LayerFacts {
    return { role: 'activation', fullyConnected: true };
  }

  override momentRule(x: Moments, tools: MomentTools): MomentStep {
    return activationStep({ code: ActivationCode.Elu, param: this.alpha }, x, tools);
  }

  /** TF.js's ELU layer throws for alpha ≠ 1, so such a layer cannot be written for it. */
  override tfjsEntries(config: Record<string, unknown>): LayerEntry[] {
    if (this.alpha !== 1) {
      throw new Error(
        `saveModel: layer '${this.name}' (ELU): alpha = ${String(this.alpha)} cannot be saved for ` +
          `TensorFlow.js, whose ELU layer only supports alpha = 1 (it throws otherwise). Use alpha 1, or keep ` +
          `the model in Keel`,
      );
    }
    return [{ class_name: this.className, config }];
  }
}

registerLayer(LeakyReLU);
registerLayer(PReLU);
registerLayer(ELU);
