/**
 * A Keel Sequential → `modelTopology` in the tf.keras-2 / TF.js dialect
 * (keras-semantics.md §9.1, §9.3, example §9.4): an explicit InputLayer with
 * `batch_input_shape`, dtype strings, `{class_name, config}` objects without
 * `module`, presets written as VarianceScaling. Each layer writes its own entries
 * (`Layer.tfjsEntries`): what TF.js reads differently is mapped by the layer when an
 * exact equivalent exists and refused otherwise (never silently changed).
 */
import { tensorRefs, type Model } from '../functional.js';
import type { SymbolicTensor } from '../graph/symbolic.js';
import type { Layer } from '../layers/layer.js';
import type { KerasObject } from '../keras-config.js';
import { exportInitializer } from './export-initializer.js';
import { uniqueName, type LayerEntry } from './tfjs-activation.js';

export type { LayerEntry } from './tfjs-activation.js';

/** Shape of a layer's weight (for initializers that depend on it): the built one, else the layer's own spec. */
function weightShape(layer: Layer, weight: string): number[] | null {
  const found = layer.weights.find((w) => w.name === `${layer.name}/${weight}`);
  if (found !== undefined) return [...found.shape];
  if (layer.builtInputShape === null) return null;
  const spec = layer.weightSpecs(layer.builtInputShape)?.find((s) => s.name === weight);
  return spec !== undefined ? [...spec.shape] : null;
}

/** Rewrites every `<w>_initializer` key of a layer config into the TF.js dialect. */
function exportInitializers(layer: Layer, config: Record<string, unknown>, where: string): void {
  for (const key of Object.keys(config)) {
    if (!key.endsWith('_initializer') || config[key] === null) continue;
    const weight = key.slice(0, -'_initializer'.length);
    config[key] = exportInitializer(config[key] as KerasObject, weightShape(layer, weight), `${where} ${key}`);
  }
}

/** One Keel layer → its TF.js layer entries. `taken` holds names in use (for layers that split in two). */
function exportLayer(layer: Layer, taken: Set<string>): LayerEntry[] {
  const where = `saveModel: layer '${layer.name}' (${layer.className})`;
  if (layer.name.includes('/'))
    throw new Error(`${where}: layer names may not contain '/' (weights are matched by '<layer>/<weight>')`);
  const config: Record<string, unknown> = { ...layer.getConfig() };
  delete config.batch_input_shape; // the input shape goes on the InputLayer entry
  config.dtype = 'float32';
  exportInitializers(layer, config, where);
  return layer.tfjsEntries(config, taken);
}

/** The whole `modelTopology` object (§9.4): a Sequential's, or a functional model's with its inbound nodes. */
export function exportTopology(model: Model): Record<string, unknown> {
  const inputShape = model.getInputShape();
  if (inputShape === null || !model.built)
    throw new Error(
      `saveModel: ${model.where} is not built yet; give the first layer an inputShape or call ` +
        `model.build([features]) before saving`,
    );
  if (model.layers.length === 0) throw new Error(`saveModel: ${model.where} has no layers`);
  if (!model.isSequential) return exportFunctional(model);
  const taken = new Set(model.layers.map((l) => l.name));
  const inputName = uniqueName('input_1', taken);
  const layers: LayerEntry[] = [
    {
      class_name: 'InputLayer',
      config: { batch_input_shape: [null, ...inputShape], dtype: 'float32', sparse: false, name: inputName },
    },
  ];
  for (const layer of model.layers) layers.push(...exportLayer(layer, taken));
  return {
    class_name: 'Sequential',
    // Informational (§9.4); '2.15.0' tells readers which dialect this is: tf.keras 2 / TF.js.
    keras_version: '2.15.0',
    backend: 'tensorflow',
    config: { name: model.name, layers },
  };
}

/**
 * A functional model in the tf.keras 2 / TF.js dialect: class_name 'Functional', each layer with
 * `inbound_nodes: [[[layer, node, tensor, {}], ...], ...]` (one list per call), input_layers and output_layers.
 * A layer the TF.js dialect writes as two entries (e.g. Dense + Activation) is chained, node by node.
 */
function exportFunctional(model: Model): Record<string, unknown> {
  const ref = tensorRefs(model);
  const taken = new Set([...model.layers.map((l) => l.name), ...model.inputNames]);
  /** The entry name that holds a layer's output (the last of its entries). */
  const lastName = new Map<string, string>();
  const layers: Record<string, unknown>[] = model.inputs.map((t) => ({
    class_name: 'InputLayer',
    name: t.inputName,
    config: { batch_input_shape: [null, ...t.shape], dtype: 'float32', sparse: false, name: t.inputName },
    inbound_nodes: [],
  }));
  const tref = (t: SymbolicTensor): [string, number, number, Record<string, never>] => {
    const [name, node, tensor] = ref(t);
    return [lastName.get(name) ?? name, node, tensor, {}];
  };
  for (const layer of model.layers) {
    const nodes = model.nodes.filter((n) => n.layer === layer);
    const entries = exportLayer(layer, taken);
    entries.forEach((entry, j) => {
      const name = (entry.config as { name?: string }).name ?? layer.name;
      const inbound =
        j === 0 ? nodes.map((n) => n.inputs.map(tref)) : nodes.map((_n, k) => [[lastName.get(layer.name)!, k, 0, {}]]);
      layers.push({ class_name: entry.class_name, name, config: entry.config, inbound_nodes: inbound });
      lastName.set(layer.name, name);
    });
  }
  const refs = (ts: readonly SymbolicTensor[]) => ts.map((t) => tref(t).slice(0, 3));
  return {
    class_name: 'Functional',
    keras_version: '2.15.0',
    backend: 'tensorflow',
    config: { name: model.name, layers, input_layers: refs(model.inputs), output_layers: refs(model.outputs) },
  };
}
