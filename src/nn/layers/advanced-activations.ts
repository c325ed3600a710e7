/** LeakyReLU, PReLU and ELU as layers (Keras `layers/activations`). */
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../autograd/variable.js';
import { activation } from '../../ops/activation.js';
import { prelu } from '../../ops/prelu.js';
import { ActivationCode } from '../../kernels/backend.js';
import * as initializers from '../initializers/index.js';
import type { KerasObject } from '../config.js';
import { Layer, type CallContext, type LayerArgs } from './layer.js';

export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for x < 0. Default 0.3 (the layer's default; the function's is 0.2). */
  negativeSlope?: number;
  /** Keras 2 / TF.js name for negativeSlope; accepted and overrides it, as in Keras 3. */
  alpha?: number;
}

/** x if x ≥ 0 else negativeSlope·x. */
export class LeakyReLU extends Layer {
  readonly className = 'LeakyReLU';
  readonly negativeSlope: number;
  constructor(args: LeakyReLUArgs = {}) {
    super(args, 'leaky_re_lu');
    this.negativeSlope = args.alpha ?? args.negativeSlope ?? 0.3;
    if (typeof this.negativeSlope !== 'number' || !(this.negativeSlope >= 0)) {
      throw new Error(`Invalid negativeSlope for LeakyReLU '${this.name}': expected a number ≥ 0; received ${JSON.stringify(this.negativeSlope)}`);
    }
  }
  call(x: Tensor, _ctx: CallContext): Tensor { return activation(x, ActivationCode.LeakyRelu, this.negativeSlope); }
  /** Written as `alpha`, the key TF.js and tf.keras 2 read (Keras 3 accepts it too). */
  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), alpha: this.negativeSlope }; }
}

export interface PReLUArgs extends LayerArgs {
  /** Initializer of the learned slopes. Default 'zeros' (starts as ReLU; PyTorch uses 0.25). */
  alphaInitializer?: initializers.InitializerIdentifier | KerasObject | initializers.Initializer;
  /** Not supported (must be null): one slope per feature. */
  sharedAxes?: null;
}

/** x if x > 0 else α·x with α learned per feature (He et al. 2015). */
export class PReLU extends Layer {
  readonly className = 'PReLU';
  readonly alphaInitializer: initializers.Initializer;
  alpha: Variable | null = null;
  constructor(args: PReLUArgs = {}) {
    super(args, 'p_re_lu');
    if (args.sharedAxes != null) throw new Error(`PReLU '${this.name}': sharedAxes is not supported; received ${JSON.stringify(args.sharedAxes)}`);
    this.alphaInitializer = initializers.get(args.alphaInitializer ?? 'zeros', `PReLU '${this.name}' alphaInitializer`);
  }
  override build(inputShape: number[]): void {
    this.alpha = this.addWeight('alpha', inputShape, this.alphaInitializer);
    super.build(inputShape);
  }
  call(x: Tensor, _ctx: CallContext): Tensor { return prelu(x, this.alpha!); }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha_initializer: initializers.serialize(this.alphaInitializer), alpha_regularizer: null, alpha_constraint: null, shared_axes: null };
  }
}

export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part. Default 1 (other values make ELU non-differentiable at 0). */
  alpha?: number;
}

/** x if x > 0 else α(eˣ − 1) (Clevert et al. 2016). */
export class ELU extends Layer {
  readonly className = 'ELU';
  readonly alpha: number;
  constructor(args: ELUArgs = {}) {
    super(args, 'elu');
    this.alpha = args.alpha ?? 1;
    if (typeof this.alpha !== 'number' || !Number.isFinite(this.alpha)) throw new Error(`Invalid alpha for ELU '${this.name}': expected a number; received ${JSON.stringify(args.alpha)}`);
  }
  call(x: Tensor, _ctx: CallContext): Tensor { return activation(x, ActivationCode.Elu, this.alpha); }
  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), alpha: this.alpha }; }
}
