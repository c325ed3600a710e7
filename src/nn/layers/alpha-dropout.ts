/**
 * AlphaDropout (Klambauer et al. 2017): for SELU networks. Dropped units are set
 * to α′ = −λα and an affine correction keeps mean 0 and variance 1. Identity at inference.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { ALPHA_PRIME, alphaDropout, alphaDropoutAffine } from '../../ops/dropout.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import type { CallContext, LayerFacts } from './layer.js';
import type { MomentStep, Moments } from './moments.js';
import { registerLayer } from './serialize.js';

export class AlphaDropout extends Dropout {
  static override readonly className = 'AlphaDropout';

  /** @example new layers.AlphaDropout(0.1) */
  constructor(rate: number | DropoutArgs, args: DropoutArgs = {}) {
    super(rate, args);
  }

  override call(x: Tensor, ctx: CallContext): Tensor {
    return ctx.training && this.rate > 0 ? alphaDropout(x, this.rate, this.random, this.noiseShape) : x;
  }

  override doctorFacts(): LayerFacts {
    return { role: 'alpha_dropout', fullyConnected: true, rate: this.rate };
  }

  /** y = a·(x·m + α′(1 − m)) + b with m ~ Bernoulli(1 − p): exact first and second moments. */
  override momentRule(x: Moments): MomentStep | null {
    if (this.rate >= 1) return null;
    const p = this.rate,
      q = 1 - p,
      ap = ALPHA_PRIME;
    const { a, b } = alphaDropoutAffine(p);
    const ey = q * x.mean + p * ap,
      ey2 = q * x.second + p * ap * ap;
    const eyy = q * q * x.cross + 2 * q * p * ap * x.mean + p * p * ap * ap;
    const mean = a * ey + b;
    const out = { mean, second: a * a * ey2 + 2 * a * b * ey + b * b, cross: a * a * eyy + 2 * a * b * ey + b * b };
    return { out, d2: 1, backward: (g) => a * a * q * g, kernelFactor: null };
  }

  /** TF.js reads only the rate (it ignores seed and noise_shape and is the identity at inference). */
  override tfjsEntries(config: Record<string, unknown>): { class_name: string; config: Record<string, unknown> }[] {
    return [
      {
        class_name: this.className,
        config: { name: config.name, trainable: config.trainable, dtype: 'float32', rate: config.rate },
      },
    ];
  }
}

registerLayer(AlphaDropout);
