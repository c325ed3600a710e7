/** Shape changes that keep the row-major values as they are. */
import { Tensor } from '../tensor/tensor.js';
import { record } from '../autograd/tape.js';
import { formatShape, sizeOf } from '../tensor/shape.js';

/** The same values under a new shape; one dimension may be -1 (inferred). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const known = shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const resolved = shape.map((d) => (d === -1 ? x.size / known : d));
  if (sizeOf(resolved) !== x.size || !resolved.every(Number.isInteger)) {
    throw new Error(`reshape: cannot reshape ${formatShape(x.shape)} (${x.size} values) to ${formatShape(shape)}`);
  }
  return record(new Tensor(x.data, resolved), [x], (dy) => [dy]);
}
