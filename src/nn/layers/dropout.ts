/** Dropout (Srivastava et al. 2014): active only in training mode; inverted scaling by 1/(1 − rate). */
import type { Tensor } from '../../tensor/tensor.js';
import { Random, getGlobalRandom } from '../../tensor/rng.js';
import { dropout } from '../../ops/dropout.js';
import { Layer, checkRate, type CallContext, type LayerArgs } from './layer.js';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of units to drop, in [0, 1). */
  rate?: number;
  /** Seed for the masks; default: drawn from the global generator. */
  seed?: number | null;
  /** Not supported (must be null). */
  noiseShape?: null;
}

export class Dropout extends Layer {
  readonly className: string = 'Dropout';
  readonly rate: number;
  readonly seed: number | null;
  /** The layer's own mask generator (part of a checkpoint's random state). */
  readonly random: Random;

  /** @example new layers.Dropout(0.2) */
  constructor(rate: number | DropoutArgs, args: DropoutArgs = {}) {
    const merged: DropoutArgs = typeof rate === 'object' ? rate : { ...args, rate };
    super(merged, new.target === Dropout ? 'dropout' : 'alpha_dropout');
    this.rate = checkRate(merged.rate, `${new.target.name} '${this.name}'`);
    if (merged.noiseShape != null) throw new Error(`${new.target.name} '${this.name}': noiseShape is not supported; received ${JSON.stringify(merged.noiseShape)}`);
    this.seed = merged.seed ?? null;
    this.random = new Random(this.seed ?? getGlobalRandom().nextSeed());
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    return ctx.training && this.rate > 0 ? dropout(x, this.rate, this.random) : x;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noise_shape: null, seed: this.seed };
  }
}
