/** Dropout (Srivastava et al. 2014): active only in training mode; inverted scaling by 1/(1 − rate). */
import type { Tensor } from '../../tensor/tensor.js';
import { Random, checkRandomState, getGlobalRandom, type RandomState } from '../../tensor/rng.js';
import { dropout } from '../../ops/dropout.js';
import { formatValue } from '../../util/args.js';
import { Layer, checkRate, type CallContext, type LayerArgs, type LayerArgSpec, type LayerFacts } from './layer.js';
import type { MomentStep, Moments } from './moments.js';
import { registerLayer } from './serialize.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of units to drop, in [0, 1] (also the first constructor argument). */
  rate?: number;
  /** Seed for the masks; default: drawn from the global generator. */
  seed?: number | null;
  /** Keras noise_shape: the mask's shape with the batch axis; 1 shares a draw along that axis, null takes the input's
   * size. */
  noiseShape?: (number | null)[] | null;
}

export class Dropout extends Layer {
  static readonly className: string = 'Dropout';
  static readonly argSpec: LayerArgSpec = {
    rate: { type: 'any' },
    seed: { type: 'number', integer: true, nullable: true },
    noiseShape: { type: 'any' },
  };
  readonly rate: number;
  readonly seed: number | null;
  readonly noiseShape: (number | null)[] | null;
  /** The layer's own mask generator (part of a checkpoint's state). */
  readonly random: Random;

  /** @example new layers.Dropout(0.2) */
  constructor(rate: number | DropoutArgs, args: DropoutArgs = {}) {
    const merged: DropoutArgs = typeof rate === 'object' && rate !== null ? rate : { ...args, rate };
    super(merged);
    this.rate = checkRate(merged.rate, this.where);
    const ns = merged.noiseShape ?? null;
    if (ns !== null && (!Array.isArray(ns) || ns.some((d) => d !== null && !(Number.isInteger(d) && d > 0)))) {
      throw new Error(
        `Invalid noiseShape for ${this.where}: expected a list of positive integers or null (with the batch ` +
          `axis); received ${formatValue(ns)}`,
      );
    }
    this.noiseShape = ns === null ? null : [...ns];
    this.seed = merged.seed ?? null;
    this.random = new Random(this.seed ?? getGlobalRandom().nextSeed());
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    return ctx.training && this.rate > 0 ? dropout(x, this.rate, this.random, this.noiseShape) : x;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noise_shape: this.noiseShape, seed: this.seed };
  }

  override getState(): RandomState {
    return this.random.getState();
  }

  override validateState(state: unknown, where: string): void {
    checkRandomState(state, `${where} (${this.where} mask generator)`);
  }

  override setState(state: unknown): void {
    this.random.setState(checkRandomState(state, this.where));
  }

  override doctorFacts(): LayerFacts {
    return { role: 'dropout', fullyConnected: true, rate: this.rate };
  }

  /** Inverted dropout keeps the mean and multiplies E[x²] and the gradient's second moment by 1/(1 − rate). */
  override momentRule(x: Moments): MomentStep | null {
    if (this.rate >= 1) return null;
    const keep = 1 - this.rate,
      second = x.second / keep;
    return { out: { ...x, second }, d2: 1, backward: (g) => g / keep, kernelFactor: null };
  }
}

registerLayer(Dropout);
