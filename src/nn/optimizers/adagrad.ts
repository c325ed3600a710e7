/**
 * Adagrad (Duchi et al. 2011), Keras 3 form: a ← a + g² (a starts at initialAccumulatorValue);
 * θ ← θ − lr·g/√(a + ε).
 */
import type { Variable } from '../../autograd/variable.js';
import { OPTIMIZER_SPEC, Optimizer, type OptimizerArgs } from './optimizer.js';
import { checkArgs, type ArgSpec } from '../../util/args.js';
import { kernels } from '../../kernels/registry.js';

export const ADAGRAD_SPEC: ArgSpec = {
  ...OPTIMIZER_SPEC,
  initialAccumulatorValue: {
    type: 'number',
    min: 0,
    help: 'the accumulators of squared gradients start here and must be non-negative; Keras uses 0.1.',
  },
  epsilon: { type: 'number', min: 0, minExclusive: true, help: 'epsilon keeps the division finite; Keras uses 1e-7.' },
};

export interface AdagradArgs extends OptimizerArgs {
  /** Starting value of the accumulators. Default 0.1. */
  initialAccumulatorValue?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(args: AdagradArgs = {}) {
    super(checkArgs(args, ADAGRAD_SPEC, 'Adagrad'), 0.001, 'Adagrad');
    this.initialAccumulatorValue = args.initialAccumulatorValue ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-7;
  }

  protected updateSlotNames(): string[] {
    return ['accumulator'];
  }

  protected override initialSlotValue(): number {
    return this.initialAccumulatorValue;
  }

  protected updateStep(g: Float32Array, variable: Variable, lr: number, slots: Float32Array[]): void {
    kernels().adagradUpdate(variable.data, g, slots[0]!, g.length, lr, this.epsilon);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      initial_accumulator_value: this.initialAccumulatorValue,
      epsilon: this.epsilon,
    };
  }
}
