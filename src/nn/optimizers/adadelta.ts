/**
 * Adadelta (Zeiler 2012), Keras 3 form: E[g²] ← ρE[g²] + (1 − ρ)g²;
 * Δ = −√(E[Δ²] + ε)·g/√(E[g²] + ε); E[Δ²] ← ρE[Δ²] + (1 − ρ)Δ²; θ ← θ + lr·Δ.
 */
import type { Variable } from '../../autograd/variable.js';
import { OPTIMIZER_SPEC, Optimizer, type OptimizerArgs } from './optimizer.js';
import { checkArgs, type ArgSpec } from '../../util/args.js';
import { kernels } from '../../kernels/registry.js';

export const ADADELTA_SPEC: ArgSpec = {
  ...OPTIMIZER_SPEC,
  rho: {
    type: 'number',
    min: 0,
    max: 1,
    maxExclusive: true,
    help: 'a decay rate for a moving average; Keras uses rho = 0.95.',
  },
  epsilon: { type: 'number', min: 0, minExclusive: true, help: 'epsilon keeps the division finite; Keras uses 1e-7.' },
};

export interface AdadeltaArgs extends OptimizerArgs {
  /** Default 0.95. */
  rho?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

export class Adadelta extends Optimizer {
  readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  /** learningRate defaults to 0.001 as in Keras 3 (Zeiler's paper uses 1.0). */
  constructor(args: AdadeltaArgs = {}) {
    super(checkArgs(args, ADADELTA_SPEC, 'Adadelta'), 0.001, 'Adadelta');
    this.rho = args.rho ?? 0.95;
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected updateSlotNames(): string[] {
    return ['accumulated_grad', 'accumulated_delta_var'];
  }

  protected updateStep(g: Float32Array, variable: Variable, lr: number, slots: Float32Array[]): void {
    kernels().adadeltaUpdate(variable.data, g, slots[0]!, slots[1]!, g.length, lr, this.rho, this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }
}
