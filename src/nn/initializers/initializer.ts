/** The initializer contract and Keras's fan computation. */
import type { Tensor } from '../../tensor/tensor.js';
import { Random, getGlobalRandom } from '../../tensor/rng.js';
import type { Shape } from '../../tensor/shape.js';
import { checkArg, type ArgRule, type ArgSpec } from '../../util/args.js';

/** Keras: an integer (or a SeedGenerator, which Keel does not have) or None. */
export const SEED_RULE: ArgRule = {
  type: 'number',
  integer: true,
  nullable: true,
  help: 'pass an integer for reproducible weights, or null to draw one from the global generator.',
};
/** The options of initializers configured by their seed alone (GlorotUniform, HeNormal, ...). */
export const SEED_SPEC: ArgSpec = { seed: SEED_RULE };

export abstract class Initializer {
  /** The Keras class name, e.g. 'HeNormal'. */
  abstract readonly className: string;
  /** A tensor of the given shape drawn from this initializer. */
  abstract sample(shape: Shape): Tensor;
  /** Keras config (snake_case keys). */
  abstract getConfig(): Record<string, unknown>;
}

/**
 * Random initializers. As in Keras 3, an initializer built without a seed draws
 * one from the global generator when constructed, so calling `sample` twice with
 * the same shape returns the same values, while two layers given the string
 * 'he_normal' get two instances and so different weights.
 */
export abstract class RandomInitializer extends Initializer {
  readonly seed: number | null;
  private readonly effectiveSeed: number;

  constructor(seed: number | null | undefined) {
    super();
    checkArg(seed, SEED_RULE, 'seed', new.target.name);
    this.seed = seed ?? null;
    this.effectiveSeed = seed ?? getGlobalRandom().nextSeed();
  }

  protected generator(): Random {
    return new Random(this.effectiveSeed);
  }
}

/** Keras `compute_fans`: Dense kernels are [fan_in, fan_out]; conv kernels multiply by the receptive field. */
export function computeFans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = shape.slice(0, -2).reduce((p, d) => p * d, 1);
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

/** Truncated normal N(mean, σ²) restricted to [mean − 2σ, mean + 2σ] by redrawing (as Keras and TF do). */
export function fillTruncatedNormal(out: Float32Array, rng: Random, mean: number, stddev: number): void {
  for (let i = 0; i < out.length; i++) {
    let z: number;
    do {
      z = rng.normal();
    } while (z < -2 || z > 2);
    out[i] = mean + stddev * z;
  }
}
