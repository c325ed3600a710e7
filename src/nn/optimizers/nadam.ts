/**
 * Nadam (Dozat 2016), Keras 3 schedule: u_t = β₁(1 − ½·0.96ᵗ); Π_t = ∏ u_i;
 * m̂ = u_{t+1}·m/(1 − Π_t·u_{t+1}) + (1 − u_t)·g/(1 − Π_t); v̂ = v/(1 − β₂ᵗ);
 * θ ← θ − lr·m̂/(√v̂ + ε). (PyTorch and legacy tf.keras use 0.96^(0.004t).)
 */
import type { Variable } from '../../autograd/variable.js';
import { OPTIMIZER_SPEC, Optimizer, betaRule, type OptimizerArgs } from './optimizer.js';
import { checkArgs, type ArgSpec } from '../../util/args.js';
import { kernels } from '../../kernels/registry.js';

export const NADAM_SPEC: ArgSpec = {
  ...OPTIMIZER_SPEC,
  beta1: betaRule(0.9),
  beta2: betaRule(0.999),
  epsilon: { type: 'number', min: 0, minExclusive: true, help: 'epsilon keeps the division finite; Keras uses 1e-7.' },
};

export interface NadamArgs extends OptimizerArgs {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export class Nadam extends Optimizer {
  readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Π_t, the product of the momentum schedule (Keras `u_product`). */
  uProduct = 1;

  constructor(args: NadamArgs = {}) {
    super(checkArgs(args, NADAM_SPEC, 'Nadam'), 0.001, 'Nadam');
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected updateSlotNames(): string[] {
    return ['momentum', 'velocity'];
  }

  protected override beforeUpdates(): void {
    const t = this.iterations + 1;
    this.uProduct *= this.beta1 * (1 - 0.5 * 0.96 ** t);
  }

  protected updateStep(g: Float32Array, variable: Variable, lr: number, slots: Float32Array[]): void {
    const t = this.iterations + 1;
    const uT = this.beta1 * (1 - 0.5 * 0.96 ** t);
    const uNext = this.beta1 * (1 - 0.5 * 0.96 ** (t + 1));
    const prod = this.uProduct,
      prodNext = prod * uNext;
    const vCorrection = 1 - this.beta2 ** t;
    kernels().nadamUpdate(
      variable.data,
      g,
      slots[0]!,
      slots[1]!,
      g.length,
      lr,
      1 - this.beta1,
      1 - this.beta2,
      uNext,
      1 - prodNext,
      1 - uT,
      1 - prod,
      vCorrection,
      this.epsilon,
    );
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
