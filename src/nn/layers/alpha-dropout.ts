/**
 * AlphaDropout (Klambauer et al. 2017): for SELU networks. Dropped units are set
 * to α′ = −λα and an affine correction keeps mean 0 and variance 1. Identity at inference.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { alphaDropout } from '../../ops/dropout.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import type { CallContext } from './layer.js';

export class AlphaDropout extends Dropout {
  override readonly className = 'AlphaDropout';

  /** @example new layers.AlphaDropout(0.1) */
  constructor(rate: number | DropoutArgs, args: DropoutArgs = {}) { super(rate, args); }

  override call(x: Tensor, ctx: CallContext): Tensor {
    return ctx.training && this.rate > 0 ? alphaDropout(x, this.rate, this.random) : x;
  }
}
