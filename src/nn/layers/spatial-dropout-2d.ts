/**
 * SpatialDropout2D (Tompson et al. 2015): drops whole channels of [batch, h, w, c] per example (Keras noise shape
 * [batch, 1, 1, c]), with inverted scaling 1/(1 − rate); only in training mode.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { dropout } from '../../ops/dropout.js';
import type { CallContext, LayerArgSpec } from './layer.js';
import type { LayerEntry } from '../serialization/tfjs-activation.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { registerLayer } from './serialize.js';

export interface SpatialDropout2DArgs extends Omit<DropoutArgs, 'noiseShape'> {
  /** Only 'channels_last'. */
  dataFormat?: 'channels_last' | null;
}

export class SpatialDropout2D extends Dropout {
  static override readonly className: string = 'SpatialDropout2D';
  static override readonly argSpec: LayerArgSpec = {
    rate: { type: 'any' },
    seed: { type: 'number', integer: true, nullable: true },
    dataFormat: { type: 'string', oneOf: ['channels_last'], nullable: true },
  };

  /** @example new layers.SpatialDropout2D(0.2) */
  constructor(rate: number | SpatialDropout2DArgs, args: SpatialDropout2DArgs = {}) {
    super(rate, args);
  }

  override call(x: Tensor, ctx: CallContext): Tensor {
    if (x.rank !== 4) {
      throw new Error(`${this.where}: expects inputs [batch, height, width, channels]; received rank ${x.rank}`);
    }
    return ctx.training && this.rate > 0 ? dropout(x, this.rate, this.random, [x.shape[0]!, 1, 1, x.shape[3]!]) : x;
  }

  /** TF.js 4.22 has no SpatialDropout2D (only SpatialDropout1D): refused rather than written as something else. */
  override tfjsEntries(): LayerEntry[] {
    throw new Error(
      `saveModel: layer '${this.name}' (SpatialDropout2D) cannot be written in the TF.js layers format: ` +
        `TensorFlow.js 4.22 has no SpatialDropout2D\nhelp: remove it before saving for TF.js (it is the identity ` +
        `at inference), or keep the model in Keel`,
    );
  }

  override getConfig(): Record<string, unknown> {
    const { noise_shape: _noiseShape, ...config } = super.getConfig();
    return { ...config, data_format: 'channels_last' };
  }
}

registerLayer(SpatialDropout2D);
