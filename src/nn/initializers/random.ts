/** RandomNormal, RandomUniform, TruncatedNormal (Keras defaults: stddev 0.05, limits ±0.05). */
import { Tensor } from '../../tensor/tensor.js';
import { sizeOf, type Shape } from '../../tensor/shape.js';
import { RandomInitializer, fillTruncatedNormal } from './initializer.js';

function positive(value: number, name: string, who: string): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new Error(`${who}: ${name} must be a non-negative number; received ${String(value)}`);
  return value;
}

/** N(mean, stddev²), untruncated. */
export class RandomNormal extends RandomInitializer {
  readonly className = 'RandomNormal';
  readonly mean: number; readonly stddev: number;
  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(args.seed);
    this.mean = args.mean ?? 0;
    this.stddev = positive(args.stddev ?? 0.05, 'stddev', 'RandomNormal');
  }
  sample(shape: Shape): Tensor {
    const out = new Float32Array(sizeOf(shape));
    const rng = this.generator();
    for (let i = 0; i < out.length; i++) out[i] = this.mean + this.stddev * rng.normal();
    return new Tensor(out, shape);
  }
  getConfig(): Record<string, unknown> { return { mean: this.mean, stddev: this.stddev, seed: this.seed }; }
}

/** U[minval, maxval). */
export class RandomUniform extends RandomInitializer {
  readonly className = 'RandomUniform';
  readonly minval: number; readonly maxval: number;
  constructor(args: { minval?: number; maxval?: number; seed?: number | null } = {}) {
    super(args.seed);
    this.minval = args.minval ?? -0.05;
    this.maxval = args.maxval ?? 0.05;
    if (!(this.maxval >= this.minval)) throw new Error(`RandomUniform: maxval (${this.maxval}) must be ≥ minval (${this.minval})`);
  }
  sample(shape: Shape): Tensor {
    const out = new Float32Array(sizeOf(shape));
    const rng = this.generator();
    for (let i = 0; i < out.length; i++) out[i] = this.minval + (this.maxval - this.minval) * rng.uniform();
    return new Tensor(out, shape);
  }
  getConfig(): Record<string, unknown> { return { minval: this.minval, maxval: this.maxval, seed: this.seed }; }
}

/** N(mean, stddev²) with draws beyond 2·stddev redrawn; no variance correction (realised std ≈ 0.88·stddev). */
export class TruncatedNormal extends RandomInitializer {
  readonly className = 'TruncatedNormal';
  readonly mean: number; readonly stddev: number;
  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(args.seed);
    this.mean = args.mean ?? 0;
    this.stddev = positive(args.stddev ?? 0.05, 'stddev', 'TruncatedNormal');
  }
  sample(shape: Shape): Tensor {
    const out = new Float32Array(sizeOf(shape));
    fillTruncatedNormal(out, this.generator(), this.mean, this.stddev);
    return new Tensor(out, shape);
  }
  getConfig(): Record<string, unknown> { return { mean: this.mean, stddev: this.stddev, seed: this.seed }; }
}
