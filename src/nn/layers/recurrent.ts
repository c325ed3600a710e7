/**
 * What SimpleRNN, LSTM and GRU share (Keras 3 `RNN` + `DropoutRNNCell`): inputs [batch, T, features], a kernel
 * [F, g·u], a recurrent kernel [u, g·u], a bias, returnSequences, input dropout (one mask per sequence, shared by
 * every step and gate, as Keras 3) and recurrent dropout on h_{t−1}. Not a layer of its own (not registered);
 * each subclass names its gates, its bias and its op. `goBackwards` reverses the input sequence (a tape op,
 * ops/reverse.ts) and returns the steps in the order processed, as Keras. Options Keel does not have are refused
 * (`returnState`, `stateful`): state is zero at the start of every sequence.
 */
import { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../autograd/variable.js';
import { Random, checkRandomState, getGlobalRandom, type RandomState } from '../../tensor/rng.js';
import { dropout } from '../../ops/dropout.js';
import { reverseTime } from '../../ops/reverse.js';
import type { RecurrentOptions } from '../../ops/recurrent.js';
import { ActivationCode } from '../../kernels/backend.js';
import * as activations from '../activations.js';
import * as initializers from '../initializers/index.js';
import * as regularizers from '../regularizers.js';
import * as constraints from '../constraints.js';
import type { KerasObject } from '../keras-config.js';
import type { LayerEntry } from '../serialization/tfjs-activation.js';
import {
  Layer,
  checkPositiveInteger,
  type CallContext,
  type LayerArgs,
  type LayerArgSpec,
  type LayerFacts,
  type WeightSpec,
} from './layer.js';
import { checkArg } from '../../util/args.js';

export type InitId = initializers.InitializerIdentifier | KerasObject | initializers.Initializer;

export interface RecurrentArgs extends LayerArgs {
  /** Number of units (also the first constructor argument). */
  units?: number;
  /** The cell activation. Default 'tanh'. */
  activation?: activations.ActivationLike | null;
  /** Whether to add a bias. Default true. */
  useBias?: boolean;
  /** Input kernel initializer. Default 'glorot_uniform'. */
  kernelInitializer?: InitId;
  /** Recurrent kernel initializer. Default 'orthogonal' (orthonormal rows for [u, g·u]). */
  recurrentInitializer?: InitId;
  /** Bias initializer. Default 'zeros'. */
  biasInitializer?: InitId;
  kernelRegularizer?: regularizers.RegularizerLike;
  recurrentRegularizer?: regularizers.RegularizerLike;
  biasRegularizer?: regularizers.RegularizerLike;
  kernelConstraint?: constraints.ConstraintLike;
  recurrentConstraint?: constraints.ConstraintLike;
  biasConstraint?: constraints.ConstraintLike;
  /** Fraction of the inputs dropped in training (one mask per sequence). Default 0. */
  dropout?: number;
  /** Fraction of h_{t−1} dropped before the recurrent product in training (one mask per sequence). Default 0. */
  recurrentDropout?: number;
  /** Seed of the dropout masks; default: drawn from the global generator. */
  seed?: number | null;
  /** Output every step ([batch, T, units]) instead of the last ([batch, units]). Default false. */
  returnSequences?: boolean;
  /** Process the sequence last step first (the outputs come in that order too). Default false. */
  goBackwards?: boolean;
  /** Accepted for Keras compatibility; Keel always runs its fused loop. */
  unroll?: boolean;
}

export const RECURRENT_ARG_SPEC: LayerArgSpec = {
  units: { type: 'any' },
  activation: { type: 'any' },
  useBias: { type: 'boolean' },
  kernelInitializer: { type: 'any' },
  recurrentInitializer: { type: 'any' },
  biasInitializer: { type: 'any' },
  kernelRegularizer: { type: 'any' },
  recurrentRegularizer: { type: 'any' },
  biasRegularizer: { type: 'any' },
  activityRegularizer: { type: 'any' },
  kernelConstraint: { type: 'any' },
  recurrentConstraint: { type: 'any' },
  biasConstraint: { type: 'any' },
  dropout: { type: 'number', min: 0, max: 1 },
  recurrentDropout: { type: 'number', min: 0, max: 1 },
  seed: { type: 'number', integer: true, nullable: true },
  returnSequences: { type: 'boolean' },
  unroll: { type: 'boolean' },
  returnState: 'unsupported',
  goBackwards: { type: 'boolean' },
  stateful: 'unsupported',
  implementation: { type: 'any' },
  useCudnn: { type: 'any' },
  timeMajor: 'unsupported',
};

/** The activation code a recurrent op can run (softmax cannot be a cell activation). */
export function cellCode(fn: activations.ActivationFunction, where: string): { code: ActivationCode; param: number } {
  const spec = fn.spec;
  if (spec.code === 'softmax')
    throw new Error(`${where}: softmax cannot be a recurrent activation\nhelp: use 'tanh' (the default) or 'sigmoid'`);
  return { code: spec.code, param: spec.param };
}

export abstract class RecurrentLayer extends Layer {
  /** Keras 3 keeps a recurrent layer's kernel, recurrent kernel and bias in its cell (`layers/lstm/cell/vars`). */
  override kerasVariableOwner(): string {
    return 'cell';
  }

  /** Gates per unit: 1 (SimpleRNN), 4 (LSTM), 3 (GRU). */
  protected abstract readonly gateCount: number;
  readonly units: number;
  readonly activation: activations.ActivationFunction;
  readonly useBias: boolean;
  readonly kernelInitializer: initializers.Initializer;
  readonly recurrentInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly kernelRegularizer: regularizers.Regularizer | null;
  readonly recurrentRegularizer: regularizers.Regularizer | null;
  readonly biasRegularizer: regularizers.Regularizer | null;
  readonly kernelConstraint: constraints.Constraint | null;
  readonly recurrentConstraint: constraints.Constraint | null;
  readonly biasConstraint: constraints.Constraint | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  readonly unroll: boolean;
  /** The dropout masks' generator (part of a checkpoint's state). */
  readonly random: Random;
  kernel: Variable | null = null;
  recurrentKernel: Variable | null = null;
  bias: Variable | null = null;
  /**
   * Set by the doctor's probe: the next backward pass records ‖∂L/∂h_t‖ per step into
   * `gradientNormsThroughTime`.
   */
  traceGradientsThroughTime = false;
  /** ‖∂L/∂h_t‖ for t = 0 … T−1 from the last traced backward pass (summed over the batch), or null. */
  gradientNormsThroughTime: Float64Array | null = null;

  constructor(units: number | RecurrentArgs, args: RecurrentArgs = {}) {
    const merged: RecurrentArgs = typeof units === 'object' && units !== null ? units : { ...args, units };
    super(merged);
    const w = this.where;
    this.units = checkPositiveInteger(merged.units, 'units', w);
    this.activation = activations.get(merged.activation === undefined ? 'tanh' : merged.activation, `${w} activation`);
    cellCode(this.activation, `${w} activation`);
    this.useBias = merged.useBias ?? true;
    this.kernelInitializer = initializers.get(merged.kernelInitializer ?? 'glorot_uniform', `${w} kernelInitializer`);
    this.recurrentInitializer = initializers.get(
      merged.recurrentInitializer ?? 'orthogonal',
      `${w} recurrentInitializer`,
    );
    this.biasInitializer = initializers.get(merged.biasInitializer ?? 'zeros', `${w} biasInitializer`);
    this.kernelRegularizer = regularizers.get(merged.kernelRegularizer, `${w} kernelRegularizer`);
    this.recurrentRegularizer = regularizers.get(merged.recurrentRegularizer, `${w} recurrentRegularizer`);
    this.biasRegularizer = regularizers.get(merged.biasRegularizer, `${w} biasRegularizer`);
    this.kernelConstraint = constraints.get(merged.kernelConstraint, `${w} kernelConstraint`);
    this.recurrentConstraint = constraints.get(merged.recurrentConstraint, `${w} recurrentConstraint`);
    this.biasConstraint = constraints.get(merged.biasConstraint, `${w} biasConstraint`);
    const rateRule = { type: 'number', min: 0, max: 1 } as const;
    this.dropout = (checkArg(merged.dropout ?? 0, rateRule, 'dropout', w) as number) ?? 0;
    this.recurrentDropout = (checkArg(merged.recurrentDropout ?? 0, rateRule, 'recurrentDropout', w) as number) ?? 0;
    this.seed = merged.seed ?? null;
    this.random = new Random(this.seed ?? getGlobalRandom().nextSeed());
    this.returnSequences = merged.returnSequences ?? false;
    this.goBackwards = merged.goBackwards ?? false;
    this.unroll = merged.unroll ?? false;
  }

  /** The bias's shape and initializer (LSTM's unit-forget block, GRU's two rows). */
  protected abstract biasSpec(): { shape: number[]; initializer: InitId };

  /** Runs the recurrent op. */
  protected abstract run(x: Tensor, options: RecurrentOptions): Tensor;

  override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    if (inputShape.length !== 2) {
      throw new Error(
        `${this.where}: expects inputs [batch, timesteps, features]; received an input shape of rank ` +
          `${inputShape.length + 1} ([null, ${inputShape.join(', ')}])\nhelp: give inputShape: [T, features]`,
      );
    }
    const g = this.gateCount * this.units;
    const specs: WeightSpec[] = [
      {
        name: 'kernel',
        shape: [inputShape[1]!, g],
        initializer: this.kernelInitializer,
        regularizer: this.kernelRegularizer,
        constraint: this.kernelConstraint,
      },
      {
        name: 'recurrent_kernel',
        shape: [this.units, g],
        initializer: this.recurrentInitializer,
        regularizer: this.recurrentRegularizer,
        constraint: this.recurrentConstraint,
      },
    ];
    if (this.useBias)
      specs.push({
        name: 'bias',
        ...this.biasSpec(),
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    return specs;
  }

  override build(inputShape: number[]): void {
    const w = this.createWeights(inputShape);
    this.kernel = w.kernel!;
    this.recurrentKernel = w.recurrent_kernel!;
    this.bias = w.bias ?? null;
    super.build(inputShape);
  }

  /**
   * Builds with weights another layer owns (a wrapper such as Bidirectional creates them from this layer's
   * `weightSpecs` under its own name): `weights` by short name ('kernel', 'recurrent_kernel', 'bias').
   */
  adoptWeights(weights: Readonly<Record<string, Variable>>, inputShape: number[]): void {
    this.kernel = weights.kernel!;
    this.recurrentKernel = weights.recurrent_kernel!;
    this.bias = weights.bias ?? null;
    super.build(inputShape);
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    const training = ctx.training;
    const ordered = this.goBackwards ? reverseTime(x) : x;
    const input = training && this.dropout > 0 ? dropout(ordered, this.dropout, this.random, [null, 1, null]) : ordered;
    let recurrentMask: Float32Array | null = null;
    if (training && this.recurrentDropout > 0) {
      const keep = 1 - this.recurrentDropout;
      recurrentMask = new Float32Array(x.shape[0]! * this.units);
      for (let i = 0; i < recurrentMask.length; i++) recurrentMask[i] = this.random.uniform() < keep ? 1 / keep : 0;
    }
    const act = cellCode(this.activation, this.where);
    const trace = this.traceGradientsThroughTime;
    return this.run(input, {
      activation: act.code,
      activationParam: act.param,
      returnSequences: this.returnSequences,
      recurrentMask,
      onGradientNorms: trace ? (n) => (this.gradientNormsThroughTime = Float64Array.from(n)) : undefined,
    });
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return this.returnSequences ? [inputShape[0]!, this.units] : [this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: initializers.serialize(this.kernelInitializer),
      recurrent_initializer: initializers.serialize(this.recurrentInitializer),
      bias_initializer: initializers.serialize(this.biasInitializer),
      kernel_regularizer: regularizers.serialize(this.kernelRegularizer),
      recurrent_regularizer: regularizers.serialize(this.recurrentRegularizer),
      bias_regularizer: regularizers.serialize(this.biasRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      kernel_constraint: constraints.serialize(this.kernelConstraint),
      recurrent_constraint: constraints.serialize(this.recurrentConstraint),
      bias_constraint: constraints.serialize(this.biasConstraint),
      dropout: this.dropout,
      recurrent_dropout: this.recurrentDropout,
      seed: this.seed,
      return_sequences: this.returnSequences,
      return_state: false,
      go_backwards: this.goBackwards,
      stateful: false,
      unroll: this.unroll,
    };
  }

  override getState(): RandomState {
    return this.random.getState();
  }

  override validateState(state: unknown, where: string): void {
    checkRandomState(state, `${where} (${this.where} dropout mask generator)`);
  }

  override setState(state: unknown): void {
    this.random.setState(checkRandomState(state, this.where));
  }

  override doctorFacts(): LayerFacts {
    return {
      role: 'recurrent',
      fullyConnected: true,
      kernel: { initializer: this.kernelInitializer, units: this.units, useBias: this.useBias },
      rate: this.dropout,
      recurrent: { gated: this.gateCount > 1, returnSequences: this.returnSequences },
    };
  }

  override activationSpec(): activations.ActivationSpec {
    return this.activation.spec;
  }

  /**
   * TF.js reads 'hard_sigmoid' as clip(0.2x + 1/2): a Keras 3 hard_sigmoid cannot be written for it faithfully,
   * and Keel's 'hard_sigmoid_keras2' is written under that name.
   */
  override tfjsEntries(config: Record<string, unknown>, _taken: Set<string>): LayerEntry[] {
    config = { ...config };
    for (const key of ['activation', 'recurrent_activation']) {
      if (config[key] === 'hard_sigmoid')
        throw new Error(
          `saveModel: layer '${this.name}' (${this.className}): ${key} 'hard_sigmoid' is Keras 3's clip(x/6 + 1/2), ` +
            `but TF.js reads it as clip(0.2·x + 1/2)\nhelp: use 'sigmoid' (the Keras 3 default), or ` +
            `'hard_sigmoid_keras2' (TF.js's own hard_sigmoid), or keep the model in Keel`,
        );
      if (config[key] === 'hard_sigmoid_keras2') config[key] = 'hard_sigmoid';
    }
    const out = this.tfjsPenalties(config);
    delete out.seed;
    return [{ class_name: this.className, config: out }];
  }

  /**
   * No moment rule through depth: the theory names a recurrent layer as unknown. What it says through time (the
   * recurrent kernel's spectral radius) is health/through-time.ts.
   */
  override momentRule(): null {
    return null;
  }
}

/** A [n] bias filled block by block: each block's own initializer (LSTM's unit_forget_bias). */
export class BlockInitializer extends initializers.Initializer {
  readonly className = 'BlockInitializer';
  constructor(private readonly blocks: { size: number; init: initializers.Initializer }[]) {
    super();
  }
  sample(shape: readonly number[]): Tensor {
    const out = new Float32Array(shape.reduce((p, d) => p * d, 1));
    let at = 0;
    for (const b of this.blocks) {
      out.set(b.init.sample([b.size]).data, at);
      at += b.size;
    }
    return new Tensor(out, shape as number[]);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}
