/** Orthogonal (Saxe et al. 2014) and Identity. */
import { Tensor } from '../../tensor/tensor.js';
import { formatShape, sizeOf, type Shape } from '../../tensor/shape.js';
import { Initializer, RandomInitializer, SEED_RULE } from './initializer.js';
import { checkArgs } from '../../util/args.js';

/**
 * A random orthogonal matrix: QR of a Gaussian matrix of shape
 * (max(rows, cols), min(rows, cols)), Q's columns signed so diag(R) > 0
 * (Haar-uniform), transposed when rows < cols, times `gain`.
 * rows = product of all dimensions but the last, cols = the last.
 */
export class Orthogonal extends RandomInitializer {
  readonly className = 'Orthogonal';
  readonly gain: number;
  constructor(args: { gain?: number; seed?: number | null } = {}) {
    super(checkArgs(args, { gain: { type: 'number' }, seed: SEED_RULE }, 'Orthogonal').seed);
    this.gain = args.gain ?? 1;
  }

  sample(shape: Shape): Tensor {
    if (shape.length < 2) throw new Error(`Orthogonal: needs a shape of rank ≥ 2; received ${formatShape(shape)}`);
    const cols = shape[shape.length - 1]!;
    const rows = sizeOf(shape) / cols;
    const tall = Math.max(rows, cols),
      narrow = Math.min(rows, cols);
    const rng = this.generator();
    // q[i][j]: column j of the tall matrix, orthonormalised by modified Gram–Schmidt in float64.
    const q: Float64Array[] = [];
    for (let j = 0; j < narrow; j++) {
      const v = new Float64Array(tall);
      for (let i = 0; i < tall; i++) v[i] = rng.normal();
      q.push(v);
    }
    for (let j = 0; j < narrow; j++) {
      const v = q[j]!;
      for (let p = 0; p < j; p++) {
        const u = q[p]!;
        let dot = 0;
        for (let i = 0; i < tall; i++) dot += u[i]! * v[i]!;
        for (let i = 0; i < tall; i++) v[i]! -= dot * u[i]!;
      }
      let norm = 0;
      for (let i = 0; i < tall; i++) norm += v[i]! * v[i]!;
      norm = Math.sqrt(norm);
      for (let i = 0; i < tall; i++) v[i]! /= norm;
    }
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        out[r * cols + c] = this.gain * (rows >= cols ? q[c]![r]! : q[r]![c]!);
      }
    }
    return new Tensor(out, shape);
  }

  getConfig(): Record<string, unknown> {
    return { gain: this.gain, seed: this.seed };
  }
}

/** gain · eye(rows, cols) for a rank-2 shape (rectangular allowed, as in Keras 3). */
export class Identity extends Initializer {
  readonly className = 'Identity';
  readonly gain: number;
  constructor(args: { gain?: number } = {}) {
    super();
    checkArgs(args, { gain: { type: 'number' } }, 'Identity');
    this.gain = args.gain ?? 1;
  }
  sample(shape: Shape): Tensor {
    if (shape.length !== 2) throw new Error(`Identity: needs a rank-2 shape; received ${formatShape(shape)}`);
    const [rows, cols] = shape as [number, number];
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = this.gain;
    return new Tensor(out, shape);
  }
  getConfig(): Record<string, unknown> {
    return { gain: this.gain };
  }
}
