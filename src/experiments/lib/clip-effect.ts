/**
 * What each clipping rule does to one set of gradients, measured through Keel's
 * own optimizer: SGD(lr 1) applied to zero variables leaves −(clipped gradient).
 */
import { Variable } from '../../autograd/variable.js';
import { SGD, type SGDArgs } from '../../nn/optimizers/index.js';
import { l2 } from './stats.js';

export function clipped(
  grads: readonly Float32Array[],
  clip: Pick<SGDArgs, 'clipnorm' | 'clipvalue' | 'globalClipnorm'>,
): Float32Array[] {
  const vars = grads.map((g, i) => new Variable(new Float32Array(g.length), { name: `g${i}`, shape: [g.length] }));
  new SGD({ learningRate: 1, ...clip }).apply(
    grads.map((g) => Float32Array.from(g)),
    vars,
  );
  return vars.map((v) => v.data.map((x) => -x));
}

export function globalNorm(grads: readonly Float32Array[]): number {
  return Math.sqrt(grads.reduce((s, g) => s + l2(g) ** 2, 0));
}

/** cos(a, b) over all tensors jointly: 1 means the update points the same way as the gradient. */
export function cosine(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let ab = 0,
    aa = 0,
    bb = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    for (let j = 0; j < x.length; j++) {
      ab += x[j]! * y[j]!;
      aa += x[j]! ** 2;
      bb += y[j]! ** 2;
    }
  });
  return ab / Math.sqrt(aa * bb);
}
