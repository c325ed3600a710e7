/** Row lookup (Keras Embedding, `ops.take(table, ids, axis=0)`), with the gradient of repeated ids added up. */
import { Tensor } from '../tensor/tensor.js';
import { alloc } from '../tensor/arena.js';
import { record } from '../autograd/tape.js';
import { formatShape } from '../tensor/shape.js';

/**
 * table[ids]: ids of any shape (floats truncated toward zero, as Keras casts them to int32) → [...ids.shape, D].
 * The ids get no gradient; the table's gradient adds the rows of every occurrence of an id.
 * @example gather(tensor([[1, 2], [3, 4], [5, 6]]), tensor([2, 0, 2])).toArray()  // [[5, 6], [1, 2], [5, 6]]
 */
export function gather(table: Tensor, ids: Tensor, where = 'gather'): Tensor {
  if (table.rank !== 2)
    throw new Error(`${where}: the table must be [rows, width]; received ${formatShape(table.shape)}`);
  const [rows, d] = table.shape as [number, number];
  const n = ids.size;
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = Math.trunc(ids.data[i]!);
    if (!(v >= 0 && v < rows)) {
      throw new Error(
        `${where}: id ${ids.data[i]} at position ${i} is outside [0, ${rows})\nhelp: ids must be integers below ` +
          `inputDim (${rows}); raise inputDim or map unknown tokens to a reserved id`,
      );
    }
    index[i] = v;
  }
  const out = alloc(n * d);
  const t = table.data;
  for (let i = 0; i < n; i++) out.set(t.subarray(index[i]! * d, (index[i]! + 1) * d), i * d);
  return record(new Tensor(out, [...ids.shape, d]), [table, ids], (dy) => {
    if (!table.requiresGrad) return [null, null];
    const g = alloc(table.size).fill(0);
    for (let i = 0; i < n; i++) {
      const at = index[i]! * d;
      for (let j = 0; j < d; j++) g[at + j]! += dy[i * d + j]!;
    }
    return [g, null];
  });
}
