/**
 * The weights a stack of (unbuilt) layers will create for an input shape,
 * computed from their configuration alone, so a loader can refuse absurd sizes
 * (a Dense of 10^8 units on 10^8 inputs) and mismatched weight files before
 * anything is allocated. Mirrors each layer's build(): Dense kernel [in, units]
 * and bias [units]; BatchNormalization gamma/beta/moving_mean/moving_variance [C];
 * PReLU alpha = the input shape (keras-semantics.md §3–§5).
 */
import type { Layer } from '../layers/layer.js';
import { formatShape } from '../../tensor/shape.js';
import { LIMITS } from './weights.js';

export interface PlannedWeight { name: string; shape: number[] }

interface DenseLike { units: number; useBias: boolean }
interface BatchNormLike { center: boolean; scale: boolean }

export function planWeights(layers: readonly Layer[], inputShape: readonly number[], where: string): PlannedWeight[] {
  const planned: PlannedWeight[] = [];
  let total = 0;
  let shape = [...inputShape];
  const add = (layer: Layer, weight: string, s: number[]) => {
    const size = s.reduce((p, d) => p * d, 1);
    total += size;
    if (total > LIMITS.maxParams) {
      throw new Error(`${where}: layer '${layer.name}' (${layer.className}) would create weight '${weight}' of shape ${formatShape(s)}, taking the model past ${LIMITS.maxParams} parameters (the limit for a loaded model)`);
    }
    planned.push({ name: `${layer.name}/${weight}`, shape: s });
  };
  for (const layer of layers) {
    const last = shape[shape.length - 1];
    switch (layer.className) {
      case 'Dense': {
        if (last === undefined) throw new Error(`${where}: Dense '${layer.name}' needs inputs with a feature axis`);
        const d = layer as unknown as DenseLike;
        add(layer, 'kernel', [last, d.units]);
        if (d.useBias) add(layer, 'bias', [d.units]);
        shape = [...shape.slice(0, -1), d.units];
        break;
      }
      case 'BatchNormalization': {
        if (last === undefined) throw new Error(`${where}: BatchNormalization '${layer.name}' needs inputs with a feature axis`);
        const b = layer as unknown as BatchNormLike;
        if (b.scale) add(layer, 'gamma', [last]);
        if (b.center) add(layer, 'beta', [last]);
        add(layer, 'moving_mean', [last]);
        add(layer, 'moving_variance', [last]);
        break;
      }
      case 'PReLU':
        add(layer, 'alpha', [...shape]);
        break;
      case 'Flatten':
        shape = [shape.reduce((p, d) => p * d, 1)];
        break;
      case 'Activation': case 'Dropout': case 'AlphaDropout': case 'LeakyReLU': case 'ELU':
        break;
      default:
        throw new Error(`${where}: cannot plan the weights of layer type '${layer.className}'`);
    }
  }
  return planned;
}
