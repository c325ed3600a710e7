/**
 * Lion (Chen et al. 2023), Keras 3 form: θ ← θ − lr·sign(β₁m + (1 − β₁)g); then m ← β₂m + (1 −
 * β₂)g. The sign makes every step ±lr, so Lion wants a 3–10× smaller learning rate than AdamW.
 */
import type { Variable } from '../../autograd/variable.js';
import { OPTIMIZER_SPEC, Optimizer, type OptimizerArgs } from './optimizer.js';
import { checkArgs, type ArgSpec } from '../../util/args.js';
import { kernels } from '../../kernels/registry.js';

export const LION_SPEC: ArgSpec = {
  ...OPTIMIZER_SPEC,
  beta1: {
    type: 'number',
    min: 0,
    minExclusive: true,
    max: 1,
    help:
      'beta1 mixes the momentum into the update direction and must be in (0, 1]; at 0 Lion is signSGD. ' +
      'Keras uses 0.9.',
  },
  beta2: {
    type: 'number',
    min: 0,
    max: 1,
    maxExclusive: true,
    help: 'a decay rate for the momentum; Keras uses beta2 = 0.99.',
  },
};

export interface LionArgs extends OptimizerArgs {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.99. */
  beta2?: number;
}

export class Lion extends Optimizer {
  readonly className = 'Lion';
  readonly beta1: number;
  readonly beta2: number;

  constructor(args: LionArgs = {}) {
    super(checkArgs(args, LION_SPEC, 'Lion'), 0.001, 'Lion');
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.99;
  }

  protected updateSlotNames(): string[] {
    return ['momentum'];
  }

  protected updateStep(g: Float32Array, variable: Variable, lr: number, slots: Float32Array[]): void {
    kernels().lionUpdate(variable.data, g, slots[0]!, g.length, lr, this.beta1, this.beta2);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2 };
  }
}
