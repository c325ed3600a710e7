/**
 * Adamax (Kingma & Ba 2015, §7.1), Keras 3 form: m ← m + (g − m)(1 − β₁); u ← max(β₂u, |g|);
 * θ ← θ − lr·m / ((1 − β₁ᵗ)(u + ε)).
 */
import type { Variable } from '../../autograd/variable.js';
import { OPTIMIZER_SPEC, Optimizer, betaRule, type OptimizerArgs } from './optimizer.js';
import { checkArgs, type ArgSpec } from '../../util/args.js';
import { kernels } from '../../kernels/registry.js';

export const ADAMAX_SPEC: ArgSpec = {
  ...OPTIMIZER_SPEC,
  beta1: betaRule(0.9),
  beta2: betaRule(0.999, 'the decay of the infinity norm'),
  epsilon: { type: 'number', min: 0, minExclusive: true, help: 'epsilon keeps the division finite; Keras uses 1e-7.' },
};

export interface AdamaxArgs extends OptimizerArgs {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

export class Adamax extends Optimizer {
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args: AdamaxArgs = {}) {
    super(checkArgs(args, ADAMAX_SPEC, 'Adamax'), 0.001, 'Adamax');
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected updateSlotNames(): string[] {
    return ['momentum', 'norm'];
  }

  protected updateStep(g: Float32Array, variable: Variable, lr: number, slots: Float32Array[]): void {
    const correction = 1 - this.beta1 ** (this.iterations + 1);
    kernels().adamaxUpdate(
      variable.data,
      g,
      slots[0]!,
      slots[1]!,
      g.length,
      lr,
      1 - this.beta1,
      this.beta2,
      correction,
      this.epsilon,
    );
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
