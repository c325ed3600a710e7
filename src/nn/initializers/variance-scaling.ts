/**
 * VarianceScaling and its named presets (Keras 3 `random_initializers.py`):
 * Glorot (Glorot & Bengio 2010), He (He et al. 2015), LeCun (LeCun et al. 1998).
 */
import { Tensor } from '../../tensor/tensor.js';
import { sizeOf, type Shape } from '../../tensor/shape.js';
import { RandomInitializer, SEED_RULE, SEED_SPEC, computeFans, fillTruncatedNormal } from './initializer.js';
import { checkArgs, describeRule, didYouMean, invalidArgError, type ArgSpec } from '../../util/args.js';

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type VarianceDistribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

/**
 * Standard deviation of a standard normal restricted to [−2, 2]:
 * sqrt(1 − 4φ(2)/(2Φ(2) − 1)). Dividing by it makes a 2σ-truncated draw's std exact.
 */
export const TRUNCATION_STD = 0.87962566103423978;

const MODES: readonly FanMode[] = ['fan_in', 'fan_out', 'fan_avg'];
const DISTRIBUTIONS: readonly VarianceDistribution[] = ['truncated_normal', 'untruncated_normal', 'uniform'];

export interface VarianceScalingArgs {
  /** Scaling factor (> 0). Default 1. */
  scale?: number;
  /** Which fan divides the scale. Default 'fan_in'. camelCase forms are accepted. */
  mode?: FanMode | 'fanIn' | 'fanOut' | 'fanAvg';
  /** Default 'truncated_normal'; the legacy 'normal' means truncated_normal. */
  distribution?: VarianceDistribution | 'normal' | 'truncatedNormal' | 'untruncatedNormal';
  seed?: number | null;
}

/** Keras `VarianceScaling.__init__`: scale > 0; mode and distribution from fixed sets (camelCase forms accepted here).
 * */
const VARIANCE_SCALING_SPEC: ArgSpec = {
  scale: {
    type: 'number',
    min: 0,
    minExclusive: true,
    help: 'the variance is scale / fan; He uses 2, Glorot and LeCun 1.',
  },
  mode: { type: 'string' },
  distribution: { type: 'string' },
  seed: SEED_RULE,
};

function normalizeMode(mode: string, where: string): FanMode {
  const snake = mode.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase() as FanMode;
  if (!MODES.includes(snake))
    throw invalidArgError(
      'mode',
      where,
      describeRule({ type: 'string', oneOf: MODES }),
      mode,
      didYouMean(snake, MODES),
    );
  return snake;
}

function normalizeDistribution(distribution: string, where: string): VarianceDistribution {
  const snake = distribution.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  const d = (snake === 'normal' ? 'truncated_normal' : snake) as VarianceDistribution;
  if (!DISTRIBUTIONS.includes(d)) {
    const accepted = [...DISTRIBUTIONS, 'normal'];
    throw invalidArgError(
      'distribution',
      where,
      describeRule({ type: 'string', oneOf: accepted }),
      distribution,
      didYouMean(snake, accepted),
    );
  }
  return d;
}

export class VarianceScaling extends RandomInitializer {
  readonly className: string;
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: VarianceDistribution;

  constructor(args: VarianceScalingArgs = {}, className = 'VarianceScaling') {
    super(checkArgs(args, VARIANCE_SCALING_SPEC, className).seed);
    this.className = className;
    this.scale = args.scale ?? 1;
    this.mode = normalizeMode(args.mode ?? 'fan_in', className);
    this.distribution = normalizeDistribution(args.distribution ?? 'truncated_normal', className);
  }

  /** The target variance s = scale / max(1, n) for this shape. */
  variance(shape: Shape): number {
    const { fanIn, fanOut } = computeFans(shape);
    const n = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    return this.scale / Math.max(1, n);
  }

  sample(shape: Shape): Tensor {
    const s = this.variance(shape);
    const out = new Float32Array(sizeOf(shape));
    const rng = this.generator();
    if (this.distribution === 'truncated_normal') {
      fillTruncatedNormal(out, rng, 0, Math.sqrt(s) / TRUNCATION_STD);
    } else if (this.distribution === 'untruncated_normal') {
      const std = Math.sqrt(s);
      for (let i = 0; i < out.length; i++) out[i] = std * rng.normal();
    } else {
      const limit = Math.sqrt(3 * s);
      for (let i = 0; i < out.length; i++) out[i] = limit * (2 * rng.uniform() - 1);
    }
    return new Tensor(out, shape);
  }

  getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed };
  }
}

/** A preset: fixed scale/mode/distribution; only the seed is configurable (and serialized). */
abstract class VariancePreset extends VarianceScaling {
  constructor(className: string, scale: number, mode: FanMode, distribution: VarianceDistribution, args: SeedArgs) {
    super({ scale, mode, distribution, seed: checkArgs(args, SEED_SPEC, className).seed }, className);
  }
  override getConfig(): Record<string, unknown> {
    return { seed: this.seed };
  }
}

type SeedArgs = { seed?: number | null };

/** U[−L, L], L = sqrt(6/(fan_in + fan_out)). Keras's default kernel initializer. */
export class GlorotUniform extends VariancePreset {
  constructor(a: SeedArgs = {}) {
    super('GlorotUniform', 1, 'fan_avg', 'uniform', a);
  }
}
/** Truncated normal with std sqrt(2/(fan_in + fan_out)). */
export class GlorotNormal extends VariancePreset {
  constructor(a: SeedArgs = {}) {
    super('GlorotNormal', 1, 'fan_avg', 'truncated_normal', a);
  }
}
/** U[−L, L], L = sqrt(6/fan_in). */
export class HeUniform extends VariancePreset {
  constructor(a: SeedArgs = {}) {
    super('HeUniform', 2, 'fan_in', 'uniform', a);
  }
}
/** Truncated normal with std sqrt(2/fan_in). For the ReLU family. */
export class HeNormal extends VariancePreset {
  constructor(a: SeedArgs = {}) {
    super('HeNormal', 2, 'fan_in', 'truncated_normal', a);
  }
}
/** U[−L, L], L = sqrt(3/fan_in). */
export class LecunUniform extends VariancePreset {
  constructor(a: SeedArgs = {}) {
    super('LecunUniform', 1, 'fan_in', 'uniform', a);
  }
}
/** Truncated normal with std sqrt(1/fan_in). For SELU. */
export class LecunNormal extends VariancePreset {
  constructor(a: SeedArgs = {}) {
    super('LecunNormal', 1, 'fan_in', 'truncated_normal', a);
  }
}
