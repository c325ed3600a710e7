/** Dense: output = activation(x·W + b), W of shape [input_dim, units] (Keras layout). */
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../autograd/variable.js';
import { dense } from '../../ops/dense.js';
import { activation, softmax } from '../../ops/activation.js';
import { ActivationCode } from '../../kernels/backend.js';
import * as activations from '../activations.js';
import * as initializers from '../initializers/index.js';
import * as regularizers from '../regularizers.js';
import * as constraints from '../constraints.js';
import { tfjsActivationEntries, type LayerEntry } from '../serialization/tfjs-activation.js';
import {
  Layer,
  checkPositiveInteger,
  type CallContext,
  type LayerArgs,
  type LayerArgSpec,
  type LayerFacts,
  type WeightSpec,
} from './layer.js';
import { activationStep, type MomentStep, type MomentTools, type Moments } from './moments.js';
import { registerLayer } from './serialize.js';
import { KERNEL_BIAS_ARG_SPEC, kernelBias, kernelBiasConfig, type KernelBiasArgs } from './kernel-bias.js';

export interface DenseArgs extends LayerArgs, KernelBiasArgs {
  /** Output width (also the first constructor argument). */
  units?: number;
  /** Activation applied to x·W + b: a name, a function from `activations`, or a layer such as LeakyReLU. Default:
   * none.
   * */
  activation?: activations.ActivationLike | null;
  /** Whether to add a bias vector. Default true. Use false before BatchNormalization. */
  useBias?: boolean;
}

export class Dense extends Layer {
  static readonly className = 'Dense';
  static readonly argSpec: LayerArgSpec = {
    units: { type: 'any' },
    activation: { type: 'any' },
    useBias: { type: 'boolean' },
    ...KERNEL_BIAS_ARG_SPEC,
    quantizationConfig: 'unsupported',
    loraRank: 'unsupported',
    loraAlpha: 'unsupported',
  };
  readonly units: number;
  readonly activation: activations.ActivationFunction;
  readonly useBias: boolean;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly kernelRegularizer: regularizers.Regularizer | null;
  readonly biasRegularizer: regularizers.Regularizer | null;
  readonly kernelConstraint: constraints.Constraint | null;
  readonly biasConstraint: constraints.Constraint | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  /**
   * @example new layers.Dense(100, { activation: 'elu', kernelInitializer: 'he_normal', inputShape: [784] })
   */
  constructor(units: number | DenseArgs, args: DenseArgs = {}) {
    const merged: DenseArgs = typeof units === 'object' && units !== null ? units : { ...args, units };
    super(merged);
    this.units = checkPositiveInteger(merged.units, 'units', this.where);
    this.activation = activations.get(merged.activation, `${this.where} activation`);
    this.useBias = merged.useBias ?? true;
    ({
      kernelInitializer: this.kernelInitializer,
      biasInitializer: this.biasInitializer,
      kernelRegularizer: this.kernelRegularizer,
      biasRegularizer: this.biasRegularizer,
      kernelConstraint: this.kernelConstraint,
      biasConstraint: this.biasConstraint,
    } = kernelBias(merged, this.where));
  }

  override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputDim === undefined)
      throw new Error(`${this.where}: needs inputs of rank ≥ 2 (batch, features); received a rank-1 input`);
    const specs: WeightSpec[] = [
      {
        name: 'kernel',
        shape: [inputDim, this.units],
        initializer: this.kernelInitializer,
        regularizer: this.kernelRegularizer,
        constraint: this.kernelConstraint,
      },
    ];
    if (this.useBias) {
      specs.push({
        name: 'bias',
        shape: [this.units],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    return specs;
  }

  override build(inputShape: number[]): void {
    const w = this.createWeights(inputShape);
    this.kernel = w.kernel!;
    this.bias = w.bias ?? null;
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const spec = this.activation.spec;
    if (spec.code === 'softmax') return softmax(dense(x, this.kernel!, this.bias, ActivationCode.Linear));
    // Sigmoid as its own op so the output carries its logits: binary cross-entropy then
    // works from logits, exact when predictions saturate (as Keras does).
    if (spec.code === ActivationCode.Sigmoid)
      return activation(dense(x, this.kernel!, this.bias, ActivationCode.Linear), spec.code);
    return dense(x, this.kernel!, this.bias, spec.code, spec.param);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      ...kernelBiasConfig(this),
    };
  }

  override activationSpec(): activations.ActivationSpec {
    return this.activation.spec;
  }

  override doctorFacts(): LayerFacts {
    return {
      role: 'weighted',
      fullyConnected: true,
      kernel: { initializer: this.kernelInitializer, units: this.units, useBias: this.useBias },
    };
  }

  /**
   * A pre-activation z = W·x + b over n inputs is Gaussian with E[z] = n·ω·E[x] + E[b] and
   * Var[z] = n·s·E[x²] + ω²·n·Var[x] + ω²·n(n−1)·E[x]² + Var[b] (s = Var[W], ω = E[W]; Glorot & Bengio
   * 2010 §4.2.1, He et al. 2015 eq. 7); backward E[g_in²] = units·E[w²]·E[f′²]·E[g²] (Glorot & Bengio eq.
   * 13).
   */
  override momentRule(x: Moments, tools: MomentTools): MomentStep {
    const n = this.kernel!.shape[0]!,
      units = this.units;
    const w = tools.weight(this.kernelInitializer, this.kernel!.shape);
    const b = this.useBias ? tools.weight(this.biasInitializer, [units]) : { mean: 0, variance: 0 };
    const preMean = n * w.mean * x.mean + b.mean;
    const unitLevel = w.mean ** 2 * n * Math.max(0, n - 1) * x.mean ** 2 + b.variance;
    const preVariance = n * w.variance * x.second + w.mean ** 2 * n * Math.max(0, x.second - x.mean ** 2) + unitLevel;
    const preCross = Math.min(preVariance, n * w.variance * x.cross + unitLevel);
    const wSecond = w.variance + w.mean ** 2;
    const kernelFactor = n * x.second * units;
    const spec = this.activation.spec;
    if (spec.code === 'softmax') {
      const sm = tools.softmax(preMean, preVariance, units);
      return {
        preMean,
        preVariance,
        out: { mean: 1 / units, second: sm.outputVariance + 1 / units ** 2, cross: 1 / units ** 2 },
        d2: 1,
        softmaxDelta2: sm.deltaSecondMoment,
        backward: (g2) => units * wSecond * g2,
        kernelFactor,
      };
    }
    const pre: Moments = { mean: preMean, second: preVariance + preMean ** 2, cross: preCross + preMean ** 2 };
    const act = activationStep({ code: spec.code, param: spec.param }, pre, tools);
    return { ...act, preMean, preVariance, backward: (g2) => units * wSecond * act.d2 * g2, kernelFactor };
  }

  /**
   * TF.js knows fewer activation names (see serialization/tfjs-activation.ts); an activation it lacks is
   * written as a separate layer, which would move an activity regularizer before the activation: refused.
   */
  override tfjsEntries(config: Record<string, unknown>, taken: Set<string>): LayerEntry[] {
    const entries = tfjsActivationEntries(this, this.tfjsPenalties(config), taken);
    if (entries.length > 1 && this.activityRegularizer !== null) {
      throw new Error(
        `saveModel: layer '${this.name}' (Dense): its activation is written for TF.js as a separate layer, so ` +
          `its activity_regularizer would apply before the activation\nhelp: keep the model in Keel, or add ` +
          `the activation as its own layer`,
      );
    }
    return entries;
  }
}

registerLayer(Dense);
