/**
 * SGD with optional (Nesterov) momentum, Keras 3 `sgd.py`:
 * v ← μv − lr·g; θ ← θ + v (Nesterov: θ ← θ + μv − lr·g).
 */
import type { Variable } from '../../autograd/variable.js';
import { OPTIMIZER_SPEC, Optimizer, type OptimizerArgs } from './optimizer.js';
import { checkArgs, type ArgSpec } from '../../util/args.js';
import { kernels } from '../../kernels/registry.js';

/** The options of SGD; momentum as in Keras `sgd.py` ("`momentum` must be a float between [0, 1]"). */
export const SGD_SPEC: ArgSpec = {
  ...OPTIMIZER_SPEC,
  momentum: {
    type: 'number',
    min: 0,
    max: 1,
    help: 'momentum is the fraction of the previous update kept; 0.9 is typical, 0 turns it off.',
  },
  nesterov: { type: 'boolean' },
};

export interface SGDArgs extends OptimizerArgs {
  /** Momentum μ in [0, 1]. Default 0. */
  momentum?: number;
  /** Nesterov momentum. Default false. */
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  /** @example new optimizers.SGD({ learningRate: 0.01, clipnorm: 1 }) */
  constructor(args: SGDArgs = {}) {
    super(checkArgs(args, SGD_SPEC, 'SGD'), 0.01, 'SGD');
    this.momentum = args.momentum ?? 0;
    this.nesterov = args.nesterov ?? false;
  }

  protected updateSlotNames(): string[] {
    return this.momentum !== 0 ? ['momentum'] : [];
  }

  protected updateStep(g: Float32Array, variable: Variable, lr: number, slots: Float32Array[]): boolean {
    const w = variable.data;
    if (this.momentum === 0) return kernels().scaledAdd(w, g, -lr, w.length);
    kernels().momentumUpdate(w, g, slots[0]!, w.length, lr, this.momentum, this.nesterov);
    return false;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }
}
