/**
 * Adam (Kingma & Ba 2015), Keras 3 form: m ← m + (g − m)(1 − β₁); v ← v + (g² − v)(1 − β₂);
 * θ ← θ − α_t·m/(√v + ε) with α_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) (ε not bias-corrected).
 */
import type { Variable } from '../../autograd/variable.js';
import { OPTIMIZER_SPEC, Optimizer, betaRule, type OptimizerArgs } from './optimizer.js';
import { checkArgs, type ArgSpec } from '../../util/args.js';
import { kernels } from '../../kernels/registry.js';

export const ADAM_SPEC: ArgSpec = {
  ...OPTIMIZER_SPEC,
  beta1: betaRule(0.9),
  beta2: betaRule(0.999),
  epsilon: { type: 'number', min: 0, minExclusive: true, help: 'epsilon keeps the division finite; Keras uses 1e-7.' },
  amsgrad: { type: 'boolean' },
};

export interface AdamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  /** Default 1e-7 (PyTorch: 1e-8, added differently). */
  epsilon?: number;
  amsgrad?: boolean;
}

export class Adam extends Optimizer {
  readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  /** What a subclass (AdamW) changes: its name, its options and its default weight decay. */
  protected static readonly variant: { who: string; spec: ArgSpec; weightDecay: number | null } = {
    who: 'Adam',
    spec: ADAM_SPEC,
    weightDecay: null,
  };

  constructor(args: AdamArgs = {}) {
    const { who, spec, weightDecay } = (new.target as typeof Adam).variant;
    super(checkArgs(args, spec, who), 0.001, who, weightDecay);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    this.amsgrad = args.amsgrad ?? false;
  }

  protected updateSlotNames(): string[] {
    return this.amsgrad ? ['momentum', 'velocity', 'velocity_hat'] : ['momentum', 'velocity'];
  }

  protected updateStep(g: Float32Array, variable: Variable, lr: number, slots: Float32Array[]): void {
    const t = this.iterations + 1;
    const alpha = (lr * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    const vHat = this.amsgrad ? slots[2]! : null;
    kernels().adamUpdate(
      variable.data,
      g,
      slots[0]!,
      slots[1]!,
      vHat,
      g.length,
      alpha,
      1 - this.beta1,
      1 - this.beta2,
      this.epsilon,
    );
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      beta_1: this.beta1,
      beta_2: this.beta2,
      epsilon: this.epsilon,
      amsgrad: this.amsgrad,
    };
  }
}
