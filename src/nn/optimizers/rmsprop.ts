/**
 * RMSprop (Hinton 2012), Keras 3 form: v ← ρv + (1 − ρ)g²; inc = lr·g/√(v + ε)
 * (centered: √(v − ḡ² + ε)); with momentum: mom ← μ·mom + inc, θ ← θ − mom.
 */
import type { Variable } from '../../autograd/variable.js';
import { OPTIMIZER_SPEC, Optimizer, type OptimizerArgs } from './optimizer.js';
import { checkArgs, type ArgSpec } from '../../util/args.js';
import { kernels } from '../../kernels/registry.js';

export const RMSPROP_SPEC: ArgSpec = {
  ...OPTIMIZER_SPEC,
  rho: {
    type: 'number',
    min: 0,
    max: 1,
    maxExclusive: true,
    help: 'a decay rate for a moving average; Keras uses rho = 0.9.',
  },
  momentum: { type: 'number', min: 0, help: 'momentum is the fraction of the previous update kept; 0 turns it off.' },
  epsilon: { type: 'number', min: 0, minExclusive: true, help: 'epsilon keeps the division finite; Keras uses 1e-7.' },
  centered: { type: 'boolean' },
};

export interface RMSpropArgs extends OptimizerArgs {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(args: RMSpropArgs = {}) {
    super(checkArgs(args, RMSPROP_SPEC, 'RMSprop'), 0.001, 'RMSprop');
    this.rho = args.rho ?? 0.9;
    this.momentum = args.momentum ?? 0;
    this.epsilon = args.epsilon ?? 1e-7;
    this.centered = args.centered ?? false;
  }

  protected updateSlotNames(): string[] {
    const names = ['velocity'];
    if (this.momentum > 0) names.push('momentum');
    if (this.centered) names.push('average_gradient');
    return names;
  }

  protected updateStep(g: Float32Array, variable: Variable, lr: number, slots: Float32Array[]): void {
    const v = slots[0]!;
    const mom = this.momentum > 0 ? slots[1]! : null;
    const avg = this.centered ? slots[this.momentum > 0 ? 2 : 1]! : null;
    kernels().rmspropUpdate(variable.data, g, v, mom, avg, g.length, lr, this.rho, this.momentum, this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }
}
