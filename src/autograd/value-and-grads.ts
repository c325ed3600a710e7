/** The custom-training-loop entry point: value and gradients of a scalar function. */
import { Tensor } from '../tensor/tensor.js';
import { gradientsOf } from './tape.js';

/**
 * Evaluates `f` and the gradient of its scalar result with respect to each of `variables`.
 * @example
 *   const w = new Variable(tensor([1, 2]), { name: 'w' });
 *   const { value, grads } = valueAndGrads(() => ops.sum(ops.square(w)), [w]);  // grads[0] = [2, 4]
 */
export function valueAndGrads(f: () => Tensor, variables: readonly Tensor[]): { value: Tensor; grads: Tensor[] } {
  for (const v of variables) {
    if (!v.requiresGrad)
      throw new Error(
        `valueAndGrads: ${String((v as { name?: string }).name ?? v)} does not require gradients (a ` +
          `non-trainable variable or a constant)`,
      );
  }
  const { value, grads } = gradientsOf(f, variables);
  return {
    value: new Tensor(Float32Array.from(value.data), value.shape),
    grads: grads.map((g, i) => new Tensor(Float32Array.from(g), variables[i]!.shape)),
  };
}
