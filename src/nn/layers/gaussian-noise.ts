/**
 * GaussianNoise (Keras `layers/regularization/gaussian_noise.py`): in training mode
 * adds zero-mean Gaussian noise of standard deviation `stddev`; the identity at inference.
 */
import { Tensor } from '../../tensor/tensor.js';
import { Random, checkRandomState, getGlobalRandom, type RandomState } from '../../tensor/rng.js';
import { alloc } from '../../tensor/arena.js';
import { add } from '../../ops/elementwise.js';
import { Layer, type CallContext, type LayerArgs, type LayerArgSpec, type LayerFacts } from './layer.js';
import type { MomentStep, Moments } from './moments.js';
import { registerLayer } from './serialize.js';

export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the noise, ≥ 0 (also the first constructor argument). */
  stddev?: number;
  /** Seed for the noise; default: drawn from the global generator. */
  seed?: number | null;
}

export class GaussianNoise extends Layer {
  static readonly className = 'GaussianNoise';
  static readonly argSpec: LayerArgSpec = {
    stddev: { type: 'number', min: 0 },
    seed: { type: 'number', integer: true, nullable: true },
  };
  readonly stddev: number;
  readonly seed: number | null;
  readonly random: Random;

  /** @example new layers.GaussianNoise(0.1) */
  constructor(stddev: number | GaussianNoiseArgs, args: GaussianNoiseArgs = {}) {
    const merged: GaussianNoiseArgs = typeof stddev === 'object' && stddev !== null ? stddev : { ...args, stddev };
    super(merged);
    if (merged.stddev === undefined) throw new Error(`${this.where}: stddev is required`);
    this.stddev = merged.stddev;
    this.seed = merged.seed ?? null;
    this.random = new Random(this.seed ?? getGlobalRandom().nextSeed());
  }

  call(x: Tensor, ctx: CallContext): Tensor {
    if (!ctx.training || this.stddev === 0) return x;
    const noise = alloc(x.size);
    for (let i = 0; i < noise.length; i++) noise[i] = this.stddev * this.random.normal();
    return add(x, new Tensor(noise, x.shape));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }

  override weightSpecs(): [] {
    return [];
  }

  override getState(): RandomState {
    return this.random.getState();
  }
  override validateState(state: unknown, where: string): void {
    checkRandomState(state, `${where} (${this.where} noise generator)`);
  }
  override setState(state: unknown): void {
    this.random.setState(checkRandomState(state, this.where));
  }

  override doctorFacts(): LayerFacts {
    return { role: 'other', fullyConnected: true };
  }

  /** Independent zero-mean noise adds stddev² to E[x²] (not to the cross moment); gradients pass unchanged. */
  override momentRule(x: Moments): MomentStep {
    return { out: { ...x, second: x.second + this.stddev ** 2 }, d2: 1, backward: (g) => g, kernelFactor: null };
  }
}

registerLayer(GaussianNoise);
