/** Kernel-gradient norms of the hidden Dense layers at initialization, from one batch. */
import { Tensor } from '../../tensor/tensor.js';
import { gradientsOf } from '../../autograd/tape.js';
import { withArena } from '../../tensor/arena.js';
import { l2Norm } from '../../nn/optimizers/optimizer.js';
import { Dense } from '../../nn/layers/dense.js';
import type { Sequential } from '../../nn/model.js';

export function initialKernelGradNorms(model: Sequential, x: Tensor, y: Tensor): number[] {
  const kernels = model.layers.filter((l): l is Dense => l instanceof Dense).map((l) => l.kernel!);
  return withArena(() => {
    const { grads } = gradientsOf(() => model.compiled!.loss(y, model.apply(x, { training: true })), kernels);
    return grads.map(l2Norm);
  });
}
