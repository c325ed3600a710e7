/** Dense: output = activation(x·W + b), W of shape [input_dim, units] (Keras layout). */
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../autograd/variable.js';
import { dense } from '../../ops/dense.js';
import { activation, softmax } from '../../ops/activation.js';
import { ActivationCode } from '../../kernels/backend.js';
import * as activations from '../activations.js';
import * as initializers from '../initializers/index.js';
import type { KerasObject } from '../config.js';
import { Layer, checkPositiveInteger, type CallContext, type LayerArgs } from './layer.js';

export interface DenseArgs extends LayerArgs {
  /** Activation applied to x·W + b. Default: none (linear). */
  activation?: activations.ActivationIdentifier | activations.ActivationFunction | null;
  /** Whether to add a bias vector. Default true. Use false before BatchNormalization. */
  useBias?: boolean;
  /** Kernel initializer. Default 'glorot_uniform' (Keras's default). */
  kernelInitializer?: initializers.InitializerIdentifier | KerasObject | initializers.Initializer;
  /** Bias initializer. Default 'zeros'. */
  biasInitializer?: initializers.InitializerIdentifier | KerasObject | initializers.Initializer;
}

export class Dense extends Layer {
  readonly className = 'Dense';
  readonly units: number;
  readonly activation: activations.ActivationFunction;
  readonly useBias: boolean;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  /**
   * @example new layers.Dense(100, { activation: 'elu', kernelInitializer: 'he_normal', inputShape: [784] })
   */
  constructor(units: number, args: DenseArgs = {}) {
    super(args, 'dense');
    this.units = checkPositiveInteger(units, 'units', `Dense '${this.name}'`);
    this.activation = activations.get(args.activation, `Dense '${this.name}' activation`);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializers.get(args.kernelInitializer ?? 'glorot_uniform', `Dense '${this.name}' kernelInitializer`);
    this.biasInitializer = initializers.get(args.biasInitializer ?? 'zeros', `Dense '${this.name}' biasInitializer`);
  }

  override build(inputShape: number[]): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === undefined) throw new Error(`Dense '${this.name}': needs inputs of rank ≥ 2 (batch, features); received a rank-1 input`);
    this.kernel = this.addWeight('kernel', [inputDim, this.units], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer);
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const spec = this.activation.spec;
    if (spec.code === 'softmax') return softmax(dense(x, this.kernel!, this.bias, ActivationCode.Linear));
    // Sigmoid as its own op so the output carries its logits: binary cross-entropy then
    // works from logits, exact when predictions saturate (as Keras does).
    if (spec.code === ActivationCode.Sigmoid) return activation(dense(x, this.kernel!, this.bias, ActivationCode.Linear), spec.code);
    return dense(x, this.kernel!, this.bias, spec.code, spec.param);
  }

  override computeOutputShape(inputShape: number[]): number[] { return [...inputShape.slice(0, -1), this.units]; }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation.spec.name,
      use_bias: this.useBias,
      kernel_initializer: initializers.serialize(this.kernelInitializer),
      bias_initializer: initializers.serialize(this.biasInitializer),
      kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null,
      kernel_constraint: null, bias_constraint: null,
    };
  }
}
