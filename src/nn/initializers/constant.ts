/** Zeros, Ones, Constant. */
import { Tensor } from '../../tensor/tensor.js';
import { sizeOf, type Shape } from '../../tensor/shape.js';
import { Initializer } from './initializer.js';
import { checkArgs } from '../../util/args.js';

export class Constant extends Initializer {
  readonly className: string = 'Constant';
  readonly value: number;
  constructor(args: { value?: number } = {}) {
    super();
    checkArgs(args, { value: { type: 'number' } }, 'Constant');
    this.value = args.value ?? 0;
  }
  sample(shape: Shape): Tensor {
    return new Tensor(new Float32Array(sizeOf(shape)).fill(this.value), shape);
  }
  getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
}

export class Zeros extends Initializer {
  readonly className = 'Zeros';
  /** Takes no options (as in Keras); any given are rejected rather than ignored. */
  constructor(args?: Record<string, never>) {
    super();
    checkArgs(args, {}, 'Zeros');
  }
  sample(shape: Shape): Tensor {
    return new Tensor(new Float32Array(sizeOf(shape)), shape);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}

export class Ones extends Initializer {
  readonly className = 'Ones';
  /** Takes no options (as in Keras); any given are rejected rather than ignored. */
  constructor(args?: Record<string, never>) {
    super();
    checkArgs(args, {}, 'Ones');
  }
  sample(shape: Shape): Tensor {
    return new Tensor(new Float32Array(sizeOf(shape)).fill(1), shape);
  }
  getConfig(): Record<string, unknown> {
    return {};
  }
}
