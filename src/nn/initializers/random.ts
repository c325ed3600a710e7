/** RandomNormal, RandomUniform, TruncatedNormal (Keras defaults: stddev 0.05, limits ±0.05). */
import { Tensor } from '../../tensor/tensor.js';
import { sizeOf, type Shape } from '../../tensor/shape.js';
import { RandomInitializer, SEED_RULE, fillTruncatedNormal } from './initializer.js';
import { checkArgs, formatValue, invalidArgError, type ArgSpec } from '../../util/args.js';

/** RandomNormal and TruncatedNormal (Keras does not check; a negative or non-finite stddev is never meant). */
const NORMAL_SPEC: ArgSpec = {
  mean: { type: 'number' },
  stddev: { type: 'number', min: 0, help: 'stddev is a standard deviation; Keras uses 0.05.' },
  seed: SEED_RULE,
};
const UNIFORM_SPEC: ArgSpec = { minval: { type: 'number' }, maxval: { type: 'number' }, seed: SEED_RULE };

/** N(mean, stddev²), untruncated. */
export class RandomNormal extends RandomInitializer {
  readonly className = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(checkArgs(args, NORMAL_SPEC, 'RandomNormal').seed);
    this.mean = args.mean ?? 0;
    this.stddev = args.stddev ?? 0.05;
  }
  sample(shape: Shape): Tensor {
    const out = new Float32Array(sizeOf(shape));
    const rng = this.generator();
    for (let i = 0; i < out.length; i++) out[i] = this.mean + this.stddev * rng.normal();
    return new Tensor(out, shape);
  }
  getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}

/** U[minval, maxval). */
export class RandomUniform extends RandomInitializer {
  readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  constructor(args: { minval?: number; maxval?: number; seed?: number | null } = {}) {
    super(checkArgs(args, UNIFORM_SPEC, 'RandomUniform').seed);
    this.minval = args.minval ?? -0.05;
    this.maxval = args.maxval ?? 0.05;
    if (!(this.maxval >= this.minval)) {
      throw invalidArgError(
        'maxval',
        'RandomUniform',
        `a number ≥ minval (${formatValue(this.minval)})`,
        this.maxval,
        'the interval is [minval, maxval); swap the two if they are reversed.',
      );
    }
  }
  sample(shape: Shape): Tensor {
    const out = new Float32Array(sizeOf(shape));
    const rng = this.generator();
    for (let i = 0; i < out.length; i++) out[i] = this.minval + (this.maxval - this.minval) * rng.uniform();
    return new Tensor(out, shape);
  }
  getConfig(): Record<string, unknown> {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed };
  }
}

/** N(mean, stddev²) with draws beyond 2·stddev redrawn; no variance correction (realised std ≈ 0.88·stddev). */
export class TruncatedNormal extends RandomInitializer {
  readonly className = 'TruncatedNormal';
  readonly mean: number;
  readonly stddev: number;
  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(checkArgs(args, NORMAL_SPEC, 'TruncatedNormal').seed);
    this.mean = args.mean ?? 0;
    this.stddev = args.stddev ?? 0.05;
  }
  sample(shape: Shape): Tensor {
    const out = new Float32Array(sizeOf(shape));
    fillTruncatedNormal(out, this.generator(), this.mean, this.stddev);
    return new Tensor(out, shape);
  }
  getConfig(): Record<string, unknown> {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}
