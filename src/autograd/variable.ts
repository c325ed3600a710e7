/** A named, mutable tensor that gradients flow to (a weight, or a user's parameter). */
import { Tensor } from '../tensor/tensor.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import { ownedKernelBuffer } from '../kernels/release.js';

/**
 * Weights live where the kernels can use them without copying (wasm memory when the WebAssembly backend is
 * active); their buffer goes back to the backend when the variable is garbage-collected (kernels/release.ts).
 */
export class Variable extends Tensor {
  /** Full path name, e.g. `dense_3/kernel`. */
  name: string;
  trainable: boolean;

  constructor(initial: Tensor | Float32Array, options: { name?: string; trainable?: boolean; shape?: Shape } = {}) {
    const values = initial instanceof Tensor ? initial.data : initial;
    const shape = initial instanceof Tensor ? initial.shape : (options.shape ?? [values.length]);
    super(values, shape);
    this.data = ownedKernelBuffer(this, values.length);
    this.data.set(values);
    this.name = options.name ?? 'variable';
    this.trainable = options.trainable ?? true;
    this.requiresGrad = this.trainable;
  }

  /** Overwrites the values (shape must match). */
  assign(values: Tensor | Float32Array): void {
    const src = values instanceof Tensor ? values.data : values;
    if (src.length !== sizeOf(this.shape)) {
      throw new Error(
        `Variable '${this.name}': cannot assign ${src.length} values to shape [${this.shape.join(', ')}]`,
      );
    }
    this.data.set(src);
  }
}
