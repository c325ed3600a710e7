/** Zeros, Ones, Constant. */
import { Tensor } from '../../tensor/tensor.js';
import { sizeOf, type Shape } from '../../tensor/shape.js';
import { Initializer } from './initializer.js';

export class Constant extends Initializer {
  readonly className: string = 'Constant';
  readonly value: number;
  constructor(args: { value?: number } = {}) {
    super();
    this.value = args.value ?? 0;
    if (typeof this.value !== 'number' || !Number.isFinite(this.value)) throw new Error(`Constant: value must be a finite number; received ${String(this.value)}`);
  }
  sample(shape: Shape): Tensor { return new Tensor(new Float32Array(sizeOf(shape)).fill(this.value), shape); }
  getConfig(): Record<string, unknown> { return { value: this.value }; }
}

export class Zeros extends Initializer {
  readonly className = 'Zeros';
  sample(shape: Shape): Tensor { return new Tensor(new Float32Array(sizeOf(shape)), shape); }
  getConfig(): Record<string, unknown> { return {}; }
}

export class Ones extends Initializer {
  readonly className = 'Ones';
  sample(shape: Shape): Tensor { return new Tensor(new Float32Array(sizeOf(shape)).fill(1), shape); }
  getConfig(): Record<string, unknown> { return {}; }
}
