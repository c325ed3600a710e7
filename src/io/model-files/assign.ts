/**
 * What every model-file reader does once it holds the stored values: refuse non-finite weights, assign, and
 * let each layer check the values it cannot compute with (BatchNormalization: a negative moving variance).
 */
import type { Model } from '../../nn/functional.js';

export function assignWeights(model: Model, values: readonly Float32Array[], where: string): void {
  const weights = model.weights;
  if (values.length !== weights.length)
    throw new Error(`${where}: ${values.length} stored weights for a model of ${weights.length}`);
  values.forEach((data, k) => {
    const w = weights[k]!;
    if (data.length !== w.size)
      throw new Error(`${where}: weight '${w.name}' has ${data.length} stored values; it needs ${w.size}`);
    for (let i = 0; i < data.length; i++)
      if (!Number.isFinite(data[i]!))
        throw new Error(
          `${where}: weight '${w.name}' holds ${data[i]} at flat index ${i}; refusing to load a model with ` +
            `non-finite weights`,
        );
  });
  model.setWeights(weights.map((w, k) => ({ name: w.name, shape: [...w.shape], data: values[k]! })));
  for (const layer of model.layers) {
    const byName: Record<string, Float32Array> = {};
    for (const w of layer.weights) byName[w.name.slice(layer.name.length + 1)] = w.data;
    layer.validateWeights(byName, `${where}: layer '${layer.name}' (${layer.className})`);
  }
}
