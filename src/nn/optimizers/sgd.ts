/** SGD with optional (Nesterov) momentum, Keras 3 `sgd.py`: v ← μv − lr·g; θ ← θ + v (Nesterov: θ ← θ + μv − lr·g). */
import type { Variable } from '../../autograd/variable.js';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { kernels } from '../../kernels/registry.js';

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
    super(args, 0.01, 'SGD');
    this.momentum = args.momentum ?? 0;
    if (typeof this.momentum !== 'number' || !(this.momentum >= 0 && this.momentum <= 1)) {
      throw new Error(`Invalid momentum for SGD: expected a number in [0, 1]; received ${JSON.stringify(args.momentum)}`);
    }
    this.nesterov = args.nesterov ?? false;
  }

  slotNames(): string[] { return this.momentum !== 0 ? ['momentum'] : []; }

  protected updateStep(g: Float32Array, variable: Variable, lr: number, slots: Float32Array[]): void {
    const w = variable.data;
    if (this.momentum === 0) {
      kernels().scaledAdd(w, g, -lr, w.length);
      return;
    }
    const v = slots[0]!, mu = this.momentum;
    for (let i = 0; i < w.length; i++) {
      const vi = mu * v[i]! - lr * g[i]!;
      v[i] = vi;
      w[i]! += this.nesterov ? mu * vi - lr * g[i]! : vi;
    }
  }

  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov }; }
}
