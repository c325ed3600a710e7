/**
 * What Conv1D and Conv2D share (Keras `BaseConv`): options, the kernel [...window, cin, cout] and bias
 * weights, Keras config keys and the doctor's rule. Each subclass (its own file) says its rank and call.
 */
import type { Variable } from '../../autograd/variable.js';
import { convAxis, type ConvPadding } from '../../ops/conv.js';
import * as activations from '../activations.js';
import * as initializers from '../initializers/index.js';
import * as regularizers from '../regularizers.js';
import * as constraints from '../constraints.js';
import { tfjsActivationEntries, type LayerEntry } from '../serialization/tfjs-activation.js';
import { formatValue, invalidArgError } from '../../util/args.js';
import {
  Layer,
  checkPositiveInteger,
  type LayerArgs,
  type LayerArgSpec,
  type LayerFacts,
  type WeightSpec,
} from './layer.js';
import { activationStep, type MomentStep, type MomentTools, type Moments } from './moments.js';
import { KERNEL_BIAS_ARG_SPEC, kernelBias, kernelBiasConfig, type KernelBiasArgs } from './kernel-bias.js';

export interface BaseConvArgs extends LayerArgs, KernelBiasArgs {
  /** Number of output channels (also the first constructor argument). */
  filters?: number;
  /** The window: one integer for every spatial axis, or one per axis. Required. */
  kernelSize?: number | number[];
  /** Step between windows, per axis. Default 1. */
  strides?: number | number[];
  /** 'valid' (no padding, default) or 'same' (output ⌈n/stride⌉, the extra pad at the bottom/right). */
  padding?: ConvPadding;
  /** Only 'channels_last'. */
  dataFormat?: 'channels_last' | null;
  /** Spacing between the window's taps, per axis. Default 1 (strides and dilation cannot both exceed 1). */
  dilationRate?: number | number[];
  /** Only 1. */
  groups?: number;
  /** Activation applied after the bias. Default none. */
  activation?: activations.ActivationLike | null;
  /** Whether to add a bias per filter. Default true. */
  useBias?: boolean;
  /** Kernel initializer. Default 'glorot_uniform'; its fans include the window (fan_in = k·cin). */
  kernelInitializer?: KernelBiasArgs['kernelInitializer'];
}

export const BASE_CONV_ARG_SPEC: LayerArgSpec = {
  filters: { type: 'any' },
  kernelSize: { type: 'any' },
  strides: { type: 'any' },
  padding: { type: 'string', oneOf: ['valid', 'same'] },
  dataFormat: { type: 'string', oneOf: ['channels_last'], nullable: true },
  dilationRate: { type: 'any' },
  groups: { type: 'number', integer: true, min: 1, max: 1, help: 'grouped convolutions are not supported' },
  activation: { type: 'any' },
  useBias: { type: 'boolean' },
  ...KERNEL_BIAS_ARG_SPEC,
  loraRank: 'unsupported',
  loraAlpha: 'unsupported',
};

/** An integer or a list of `rank` positive integers, as a list (Keras `standardize_tuple`). */
export function checkTuple(value: unknown, rank: number, arg: string, where: string, fallback?: number): number[] {
  const v = value === undefined || value === null ? fallback : value;
  const list = typeof v === 'number' ? new Array<number>(rank).fill(v) : v;
  const ok =
    Array.isArray(list) && list.length === rank && list.every((d) => Number.isInteger(d) && d >= 1 && d <= 1e6);
  if (!ok) {
    const what = rank === 1 ? 'a positive integer' : `a positive integer or a list of ${rank} positive integers`;
    throw invalidArgError(arg, where, what, value);
  }
  return [...(list as number[])];
}

export abstract class BaseConv extends Layer {
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: ConvPadding;
  readonly dilationRate: number[];
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

  constructor(rank: number, filters: number | BaseConvArgs, args: BaseConvArgs) {
    const merged: BaseConvArgs = typeof filters === 'object' && filters !== null ? filters : { ...args, filters };
    super(merged);
    this.filters = checkPositiveInteger(merged.filters, 'filters', this.where);
    if (merged.kernelSize === undefined) throw invalidArgError('kernelSize', this.where, 'a window size', undefined);
    this.kernelSize = checkTuple(merged.kernelSize, rank, 'kernelSize', this.where);
    this.strides = checkTuple(merged.strides, rank, 'strides', this.where, 1);
    this.dilationRate = checkTuple(merged.dilationRate, rank, 'dilationRate', this.where, 1);
    this.padding = merged.padding ?? 'valid';
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new Error(
        `${this.where}: strides ${formatValue(this.strides)} and dilationRate ${formatValue(this.dilationRate)} ` +
          `cannot both exceed 1 (as in Keras)\nhelp: use strides 1 with a dilation, or dilation 1 with strides`,
      );
    }
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

  /** Checks the input's rank (spatial axes + channels) and returns the channels. */
  protected channelsOf(inputShape: readonly number[]): number {
    const rank = this.kernelSize.length;
    const c = inputShape[rank];
    if (inputShape.length !== rank + 1 || c === undefined) {
      throw new Error(
        `${this.where}: expects inputs [batch, ${rank === 1 ? 'steps' : 'height, width'}, channels]; received ` +
          `[null, ${inputShape.join(', ')}]` +
          (rank === 2 ? `\nhelp: give images as [height, width, channels], e.g. inputShape: [28, 28, 1]` : ''),
      );
    }
    return c;
  }

  override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    const cin = this.channelsOf(inputShape);
    const specs: WeightSpec[] = [
      {
        name: 'kernel',
        shape: [...this.kernelSize, cin, this.filters],
        initializer: this.kernelInitializer,
        regularizer: this.kernelRegularizer,
        constraint: this.kernelConstraint,
      },
    ];
    if (this.useBias) {
      specs.push({
        name: 'bias',
        shape: [this.filters],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
    return specs;
  }

  override build(inputShape: number[]): void {
    this.outputSpatial(inputShape);
    const w = this.createWeights(inputShape);
    this.kernel = w.kernel!;
    this.bias = w.bias ?? null;
    super.build(inputShape);
  }

  /** The output's spatial sizes (Keras's formula); throws when the window does not fit a 'valid' input. */
  protected outputSpatial(inputShape: readonly number[]): number[] {
    this.channelsOf(inputShape);
    return this.kernelSize.map((k, i) => {
      const { out } = convAxis(inputShape[i]!, k, this.strides[i]!, this.dilationRate[i]!, this.padding);
      if (out <= 0) {
        throw new Error(
          `${this.where}: the window (${this.kernelSize.join('×')}, dilation ${this.dilationRate.join('×')}) does ` +
            `not fit the input [null, ${inputShape.join(', ')}] with padding '${this.padding}'` +
            `\nhelp: use padding 'same', a smaller kernelSize, or a larger input`,
        );
      }
      return out;
    });
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return [...this.outputSpatial(inputShape), this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      data_format: 'channels_last',
      dilation_rate: this.dilationRate,
      groups: 1,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      ...kernelBiasConfig(this),
    };
  }

  override activationSpec(): activations.ActivationSpec {
    return this.activation.spec;
  }

  /** Mixes a receptive field, not all inputs: outside the SELU fixed-point proof's fully connected setting. */
  override doctorFacts(): LayerFacts {
    return {
      role: 'weighted',
      fullyConnected: false,
      kernel: {
        initializer: this.kernelInitializer,
        units: this.filters,
        useBias: this.useBias,
        receptiveField: this.kernelSize.reduce((p, d) => p * d, 1),
      },
    };
  }

  /**
   * As Dense with n = k·cin inputs per output (the receptive field: He et al. 2015 §2.2 count n = k²·c), k being
   * the window's taps inside the input averaged over output positions (fewer at 'same' borders):
   * Var[z] = n·Var[W]·E[x²] + ... ; backward, each input feeds k·cout·P_out/P_in outputs on average
   * (k·cout/∏stride for 'same'), so E[g_in²] = (k·cout·P_out/P_in)·E[w²]·E[f′²]·E[g²] (He 2015 eq. 13).
   * The kernel gradient sums over the P_out output positions: kernelFactor = n·E[x²]·cout·P_out.
   */
  override momentRule(x: Moments, tools: MomentTools): MomentStep | null {
    const spec = this.activation.spec;
    if (spec.code === 'softmax' || this.kernel === null || this.builtInputShape === null) return null;
    const inShape = this.builtInputShape;
    // Taps of the window inside the input, averaged over output positions ('same' borders see fewer inputs).
    const taps = this.kernelSize.reduce((p, k, i) => p * averageValidTaps(inShape[i]!, k, this, i), 1);
    const n = taps * this.kernel.shape[this.kernelSize.length]!;
    const cout = this.filters;
    const w = tools.weight(this.kernelInitializer, this.kernel.shape);
    const b = this.useBias ? tools.weight(this.biasInitializer, [cout]) : { mean: 0, variance: 0 };
    const preMean = n * w.mean * x.mean + b.mean;
    const unitLevel = w.mean ** 2 * n * Math.max(0, n - 1) * x.mean ** 2 + b.variance;
    const preVariance = n * w.variance * x.second + w.mean ** 2 * n * Math.max(0, x.second - x.mean ** 2) + unitLevel;
    const preCross = Math.min(preVariance, n * w.variance * x.cross + unitLevel);
    const wSecond = w.variance + w.mean ** 2;
    const positions = this.outputSpatial(inShape).reduce((p, d) => p * d, 1);
    const inPositions = this.kernelSize.reduce((p, _k, i) => p * inShape[i]!, 1);
    // Each input receives, on average, taps·positions/inPositions window taps per output channel.
    const fanOut = (taps * cout * positions) / inPositions;
    const pre: Moments = { mean: preMean, second: preVariance + preMean ** 2, cross: preCross + preMean ** 2 };
    const act = activationStep({ code: spec.code, param: spec.param }, pre, tools);
    return {
      ...act,
      preMean,
      preVariance,
      backward: (g2) => fanOut * wSecond * act.d2 * g2,
      kernelFactor: n * x.second * cout * positions,
    };
  }

  /** TF.js reads the same config without `groups`; activations as for Dense. */
  override tfjsEntries(config: Record<string, unknown>, taken: Set<string>): LayerEntry[] {
    const { groups: _groups, ...rest } = config;
    const entries = tfjsActivationEntries(this, this.tfjsPenalties(rest), taken);
    if (entries.length > 1 && this.activityRegularizer !== null) {
      throw new Error(
        `saveModel: layer '${this.name}' (${this.className}): its activation is written for TF.js as a separate ` +
          `layer, so its activity_regularizer would apply before the activation\nhelp: keep the model in Keel`,
      );
    }
    return entries;
  }
}

/** The mean number of window taps along axis `i` that fall inside an input of length n, over output positions. */
function averageValidTaps(n: number, k: number, layer: BaseConv, i: number): number {
  const s = layer.strides[i]!,
    d = layer.dilationRate[i]!;
  const { out, padBefore } = convAxis(n, k, s, d, layer.padding);
  let total = 0;
  for (let o = 0; o < out; o++) {
    for (let j = 0; j < k; j++) {
      const at = o * s + j * d - padBefore;
      if (at >= 0 && at < n) total++;
    }
  }
  return out > 0 ? total / out : k;
}
