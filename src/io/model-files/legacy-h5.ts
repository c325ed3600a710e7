/**
 * Legacy Keras 2 `.h5` model files (`model.save('m.h5')` in tf.keras 2 / Keras 2):
 *
 *   attribute model_config          the model's JSON config (tf.keras 2 dialect)
 *   /model_weights                  attribute layer_names: the layers in order
 *   /model_weights/<layer>          attribute weight_names: e.g. ['dense/kernel:0', 'dense/bias:0']
 *   /model_weights/<layer>/<weight_name>   the datasets
 *
 * Weights are matched to the rebuilt model by name (as TF.js does), every shape checked before a value is read.
 */
import type { Model } from '../../nn/functional.js';
import { modelFromKerasJson, type LoadOptions } from '../../nn/serialization/load.js';
import { matchWeights, type StoredSpec } from '../../nn/serialization/match.js';
import { parseJson } from '../../nn/serialization/validate.js';
import { LIMITS } from '../../nn/serialization/weights.js';
import { describe, getDataset, getGroup, readH5, stringAttr, valueOf, type H5Dataset } from './h5.js';
import { assignWeights } from './assign.js';

export async function modelFromLegacyH5(bytes: Uint8Array, where: string, options: LoadOptions = {}): Promise<Model> {
  return readH5(bytes, where, (file) => {
    const config = stringAttr(file, 'model_config');
    if (typeof config !== 'string')
      throw new Error(
        `${where}: no 'model_config' attribute, so this is not a Keras model file (a weights-only .h5 from ` +
          `save_weights needs the model's code; Keel cannot rebuild the model from it)`,
      );
    const model = modelFromKerasJson(parseJson(config, `${where} model_config`) as Record<string, unknown>, options);
    const root = getGroup(file, 'model_weights');
    if (root === null) throw new Error(`${where}: no 'model_weights' group (the file holds no weights)`);
    const layerNames = stringAttr(root, 'layer_names');
    if (!Array.isArray(layerNames)) throw new Error(`${where}: 'model_weights' has no layer_names attribute`);
    const stored: (StoredSpec & { dataset: H5Dataset; path: string })[] = [];
    for (const layer of layerNames) {
      const group = getGroup(file, `model_weights/${layer}`);
      if (group === null) throw new Error(`${where}: layer_names lists '${layer}' but there is no such group`);
      const names = stringAttr(group, 'weight_names') ?? [];
      for (const name of Array.isArray(names) ? names : [names]) {
        if (stored.length >= LIMITS.maxWeights) throw new Error(`${where}: more than ${LIMITS.maxWeights} weights`);
        const path = `model_weights/${layer}/${name}`;
        const dataset = getDataset(file, path);
        if (dataset === null) throw new Error(`${where}: weight_names lists '${name}' but '${path}' is no dataset`);
        const { dtype, shape } = describe(dataset, where);
        if (dtype !== '<f4') throw new Error(`${where}: '${path}' holds ${dtype}; Keel reads float32 ('<f4') weights`);
        stored.push({ name: name.replace(/:\d+$/, ''), shape, dataset, path });
      }
    }
    const planned = model.weights.map((w) => ({ name: w.name, shape: [...w.shape] }));
    const sources = matchWeights(planned, stored, where);
    const values = sources.map((i) => Float32Array.from(valueOf(stored[i]!.dataset, where) as Float32Array));
    assignWeights(model, values, where);
    return model;
  });
}
