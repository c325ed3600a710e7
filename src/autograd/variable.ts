/** A named, mutable tensor that gradients flow to (a weight, or a user's parameter). */
import { Tensor } from '../tensor/tensor.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import { kernels } from '../kernels/registry.js';

/**
 * Weights live where the kernels can use them without copying (wasm memory
 * when the WebAssembly backend is active); their buffer goes back to the
 * backend when the variable is garbage-collected.
 */
const releaser =
  typeof FinalizationRegistry === 'undefined'
    ? null
    : new FinalizationRegistry<{ backend: { release?: (v: Float32Array) => void }; view: Float32Array }>((h) =>
        h.backend.release?.(h.view),
      );

function kernelBuffer(values: Float32Array): Float32Array {
  const backend = kernels() as ReturnType<typeof kernels> & { release?: (v: Float32Array) => void };
  const buf = backend.allocate(values.length);
  buf.set(values);
  return buf;
}

export class Variable extends Tensor {
  /** Full path name, e.g. `dense_3/kernel`. */
  name: string;
  trainable: boolean;

  constructor(initial: Tensor | Float32Array, options: { name?: string; trainable?: boolean; shape?: Shape } = {}) {
    const data = kernelBuffer(initial instanceof Tensor ? initial.data : initial);
    const shape = initial instanceof Tensor ? initial.shape : (options.shape ?? [data.length]);
    super(data, shape);
    const backend = kernels() as ReturnType<typeof kernels> & { release?: (v: Float32Array) => void };
    if (releaser !== null && backend.release !== undefined) releaser.register(this, { backend, view: data });
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
