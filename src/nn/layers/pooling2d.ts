/**
 * What MaxPooling2D and AveragePooling2D share (Keras `BasePooling`): the window, strides (default: the window),
 * padding and config; the moment rules of both kinds of pooling, also used by the global poolings.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { convAxis, convGeometry, pool2d } from '../../ops/conv.js';
import { Layer, type CallContext, type LayerArgs, type LayerArgSpec, type LayerFacts } from './layer.js';
import type { MomentStep, Moments } from './moments.js';
import { checkTuple } from './conv-base.js';

export interface Pooling2DArgs extends LayerArgs {
  /** The window [h, w] (one integer for both). Default 2 (also the first constructor argument). */
  poolSize?: number | number[];
  /** Step between windows. Default: the window (null in a Keras config). */
  strides?: number | number[] | null;
  /** 'valid' (default) or 'same' (output ⌈n/stride⌉; the window skips padded positions). */
  padding?: 'valid' | 'same';
  /** Only 'channels_last'. */
  dataFormat?: 'channels_last' | null;
}

export const POOLING_ARG_SPEC: LayerArgSpec = {
  poolSize: { type: 'any' },
  strides: { type: 'any' },
  padding: { type: 'string', oneOf: ['valid', 'same'] },
  dataFormat: { type: 'string', oneOf: ['channels_last'], nullable: true },
};

export abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  protected abstract readonly mode: 'max' | 'average';

  constructor(poolSize: number | number[] | Pooling2DArgs | undefined, args: Pooling2DArgs) {
    const merged: Pooling2DArgs =
      typeof poolSize === 'object' && poolSize !== null && !Array.isArray(poolSize) ? poolSize : { ...args, poolSize };
    super(merged);
    this.poolSize = checkTuple(merged.poolSize, 2, 'poolSize', this.where, 2) as [number, number];
    this.strides = checkTuple(merged.strides ?? this.poolSize, 2, 'strides', this.where) as [number, number];
    this.padding = merged.padding ?? 'valid';
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return pool2d(x, convGeometry(x.shape, this.poolSize, this.strides, [1, 1], this.padding), this.mode);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    if (inputShape.length !== 3) {
      throw new Error(
        `${this.where}: expects inputs [batch, height, width, channels]; received [null, ${inputShape.join(', ')}]`,
      );
    }
    const out = [0, 1].map((i) => convAxis(inputShape[i]!, this.poolSize[i]!, this.strides[i]!, 1, this.padding).out);
    if (out.some((d) => d <= 0)) {
      throw new Error(
        `${this.where}: the pool ${this.poolSize.join('×')} does not fit the input [null, ${inputShape.join(', ')}] ` +
          `with padding 'valid'\nhelp: use padding 'same' or a smaller poolSize`,
      );
    }
    return [...out, inputShape[2]!];
  }

  override build(inputShape: number[]): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  override weightSpecs(): [] {
    return [];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      pool_size: this.poolSize,
      padding: this.padding,
      strides: this.strides,
      data_format: 'channels_last',
    };
  }

  override doctorFacts(): LayerFacts {
    return { role: 'other', fullyConnected: false };
  }

  override momentRule(x: Moments): MomentStep {
    const window = this.poolSize[0] * this.poolSize[1];
    const overlap = window / (this.strides[0] * this.strides[1]);
    return this.mode === 'max' ? maxPoolStep(x, window, overlap) : averagePoolStep(x, window, overlap);
  }
}

const varianceOf = (m: Moments): number => Math.max(0, m.second - m.mean * m.mean);

/**
 * Averaging `window` inputs taken as independent (spatial correlation is unknown before training): the mean stays,
 * the variance (and the cross-example covariance) shrink by the window. Backward, each input receives g/window from
 * each of the `overlap` = window/∏strides windows it belongs to: E[g_in²] = E[g²]·overlap/window².
 */
export function averagePoolStep(x: Moments, window: number, overlap: number): MomentStep {
  const mean = x.mean;
  const second = mean * mean + varianceOf(x) / window;
  const cross = Math.min(second, mean * mean + Math.max(0, x.cross - mean * mean) / window);
  return {
    out: { mean, second, cross },
    d2: 1,
    backward: (g) => (g * overlap) / (window * window),
    kernelFactor: null,
  };
}

/**
 * The largest of `window` inputs taken as independent Gaussians N(mean, var) (an approximation: rectified inputs
 * are not Gaussian): E[max] and E[max²] by quadrature of k·φ(z)·Φ(z)^(k−1). Backward, each window routes its
 * gradient to one input: E[g_in²] = E[g²]·overlap/window.
 */
export function maxPoolStep(x: Moments, window: number, overlap: number): MomentStep {
  const sd = Math.sqrt(varianceOf(x));
  let m1 = 0,
    m2 = 0,
    total = 0;
  const steps = 1200,
    lo = -8,
    hi = 8,
    dz = (hi - lo) / steps;
  for (let i = 0; i <= steps; i++) {
    const z = lo + i * dz;
    const w = window * normalPdf(z) * normalCdf(z) ** (window - 1);
    total += w;
    m1 += w * z;
    m2 += w * z * z;
  }
  const ez = m1 / total,
    ez2 = m2 / total;
  const mean = x.mean + sd * ez;
  const second = x.mean * x.mean + 2 * x.mean * sd * ez + sd * sd * ez2;
  const cross = Math.min(second, mean * mean + Math.max(0, x.cross - x.mean * x.mean));
  return { out: { mean, second, cross }, d2: 1, backward: (g) => (g * overlap) / window, kernelFactor: null };
}

function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Φ(z) by the complementary error function (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}
