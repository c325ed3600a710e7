/**
 * AdamW (Loshchilov & Hutter 2019), Keras 3 form: Adam with the base optimizer's decoupled weight decay,
 * θ ← θ − θ·weightDecay·lr before each Adam update; weightDecay defaults to 0.004 and cannot be null.
 */
import { ADAM_SPEC, Adam, type AdamArgs } from './adam.js';
import type { ArgSpec } from '../../util/args.js';

export const ADAMW_SPEC: ArgSpec = {
  ...ADAM_SPEC,
  weightDecay: {
    type: 'number',
    min: 0,
    help: 'AdamW needs a weight decay (Keras default 0.004); for none, use Adam.',
  },
};

export interface AdamWArgs extends AdamArgs {
  /** Default 0.004 (Keras 3). */
  weightDecay?: number;
}

export class AdamW extends Adam {
  override readonly className: string = 'AdamW';
  declare readonly weightDecay: number;

  protected static override readonly variant = { who: 'AdamW', spec: ADAMW_SPEC, weightDecay: 0.004 };

  /** @example new optimizers.AdamW({ learningRate: 1e-3, weightDecay: 0.01 }) */
  constructor(args: AdamWArgs = {}) {
    super(args);
  }
}
