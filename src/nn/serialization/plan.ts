/**
 * The weights a stack of (unbuilt) layers will create for an input shape, asked
 * of each layer (`weightSpecs`, the same specs its build() uses), so a loader
 * can refuse absurd sizes (a Dense of 10^8 units on 10^8 inputs) and mismatched
 * weight files before anything is allocated. A custom layer that creates its
 * weights in its own build() is built here (its code is the user's own).
 */
import type { Layer } from '../layers/layer.js';
import { formatShape } from '../../tensor/shape.js';
import { LIMITS } from './weights.js';

export interface PlannedWeight {
  name: string;
  shape: number[];
}

export function planWeights(layers: readonly Layer[], inputShape: readonly number[], where: string): PlannedWeight[] {
  const planned: PlannedWeight[] = [];
  let total = 0;
  let shape = [...inputShape];
  const add = (layer: Layer, weight: string, s: readonly number[]) => {
    const size = s.reduce((p, d) => p * d, 1);
    total += size;
    if (total > LIMITS.maxParams) {
      throw new Error(
        `${where}: layer '${layer.name}' (${layer.className}) would create weight '${weight}' of shape ` +
          `${formatShape([...s])}, taking the model past ${LIMITS.maxParams} parameters (the limit for a loaded model)`,
      );
    }
    planned.push({ name: `${layer.name}/${weight}`, shape: [...s] });
  };
  for (const layer of layers) {
    try {
      const specs = layer.built ? null : layer.weightSpecs(shape);
      if (specs !== null) for (const s of specs) add(layer, s.name, s.shape);
      else {
        if (!layer.built) layer.build(shape);
        const prefix = `${layer.name}/`;
        for (const w of layer.weights)
          add(layer, w.name.startsWith(prefix) ? w.name.slice(prefix.length) : w.name, w.shape);
      }
      shape = layer.computeOutputShape(shape);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new Error(message.startsWith(where) ? message : `${where}: ${message}`);
    }
  }
  return planned;
}
