/**
 * What the demo measures at initialization, from one batch: the kernel-gradient
 * norm of every layer with a kernel, and the fraction of saturated hidden units
 * (sigmoid outside [0.01, 0.99], tanh beyond ±0.99), the seed's two symptoms.
 */
import { Tensor } from '../../tensor/tensor.js';
import { gradientsOf } from '../../autograd/tape.js';
import { withArena } from '../../tensor/arena.js';
import { l2Norm } from '../../nn/optimizers/optimizer.js';
import type { Variable } from '../../autograd/variable.js';
import type { Sequential } from '../../nn/model.js';
import { activationOf, saturationBand } from '../../health/layer-activation.js';
import { outsideFraction } from '../../health/stats.js';

export interface InitialMeasurements {
  /** ‖∂L/∂W‖ per layer with a kernel, input side first. */
  kernelGradNorms: number[];
  /** Fraction of saturated units over the hidden layers with a saturating activation; null if none. */
  saturated: number | null;
}

export function measureAtInit(model: Sequential, x: Tensor, y: Tensor): InitialMeasurements {
  const kernels = model.layers.map((l) => l.kernelWeight).filter((k): k is Variable => k !== null);
  const last = model.layers[model.layers.length - 1];
  return withArena(() => {
    let saturatedCount = 0,
      watched = 0;
    const { grads } = gradientsOf(
      () =>
        model.compiled!.loss(
          y,
          model.apply(x, {
            training: true,
            observe: (layer, output) => {
              const band = layer === last ? null : saturationBand(activationOf(layer)?.name ?? null);
              if (band === null) return;
              saturatedCount += outsideFraction(output.data, band[0], band[1]) * output.size;
              watched += output.size;
            },
          }),
        ),
      kernels,
    );
    return { kernelGradNorms: grads.map(l2Norm), saturated: watched > 0 ? saturatedCount / watched : null };
  });
}
