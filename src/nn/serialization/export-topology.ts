/**
 * A Keel Sequential → `modelTopology` in the tf.keras-2 / TF.js dialect
 * (keras-semantics.md §9.1, §9.3, example §9.4): an explicit InputLayer with
 * `batch_input_shape`, dtype strings, `{class_name, config}` objects without
 * `module`, LeakyReLU's slope under `alpha`, presets written as VarianceScaling.
 *
 * What TF.js cannot represent is mapped when an exact equivalent exists and
 * refused otherwise (never silently changed):
 *  - activation 'swish'            → written 'swish' (Keras 3's 'silu'; TF.js knows only 'swish')
 *  - activation 'gelu_approximate' → refused: TF.js registers the tanh approximation as 'gelu_new',
 *                                    but its loader camelCases string values to 'geluNew' and then
 *                                    fails ("Unknown activation: geluNew", tfjs-layers 4.22), so no
 *                                    model.json can carry it
 *  - activation 'leaky_relu'       → a LeakyReLU layer with alpha 0.2 (TF.js has no such activation
 *                                    string): Activation('leaky_relu') becomes LeakyReLU with the
 *                                    same name; Dense(..., 'leaky_relu') becomes Dense(linear) followed
 *                                    by LeakyReLU '<name>_leaky_relu' (same function, one layer more)
 *  - activation 'hard_sigmoid'     → refused: Keel's is Keras 3's clip(x/6 + 1/2, 0, 1), while TF.js
 *                                    and tf.keras 2 read the same name as clip(0.2x + 1/2, 0, 1)
 *  - activation 'exponential'      → refused: unknown to TF.js
 *  - ELU layer with alpha ≠ 1      → refused: TF.js's ELU layer throws for alpha ≠ 1
 *  - AlphaDropout                  → only `rate` (TF.js ignores seed/noise_shape; identity at inference)
 */
import type { Sequential } from '../model.js';
import type { Layer } from '../layers/layer.js';
import type { KerasObject } from '../config.js';
import { exportInitializer } from './export-initializer.js';

/** Activation names TF.js 4.x reads with the same meaning as Keel (TF.js `activation_config.ts`). */
const TFJS_ACTIVATIONS = new Set(['linear', 'relu', 'elu', 'selu', 'sigmoid', 'softmax', 'softplus', 'softsign', 'tanh', 'swish', 'gelu']);

/** Layer classes this exporter knows. */
const EXPORTABLE = new Set(['Dense', 'Activation', 'BatchNormalization', 'Dropout', 'AlphaDropout', 'LeakyReLU', 'PReLU', 'ELU', 'Flatten']);

export interface LayerEntry { class_name: string; config: Record<string, unknown> }

/** The TF.js name for a Keel activation, or 'leaky_relu' (split into a layer by the caller); throws when impossible. */
function tfjsActivation(name: string, where: string): string {
  if (TFJS_ACTIVATIONS.has(name)) return name;
  if (name === 'gelu_approximate') {
    throw new Error(`${where}: activation 'gelu_approximate' (tanh approximation) cannot be saved for TensorFlow.js: TF.js calls it 'gelu_new' but its model loader turns that name into 'geluNew' and rejects it (tfjs-layers 4.22). Use 'gelu' (exact), which TF.js reads`);
  }
  if (name === 'leaky_relu') return name;
  if (name === 'hard_sigmoid') {
    throw new Error(`${where}: activation 'hard_sigmoid' cannot be saved for TensorFlow.js: Keel's hard_sigmoid is Keras 3's clip(x/6 + 1/2, 0, 1), but TF.js and tf.keras 2 read 'hard_sigmoid' as clip(0.2·x + 1/2, 0, 1), so the loaded model would compute a different function. Use 'sigmoid', or keep the model in Keel`);
  }
  throw new Error(`${where}: activation '${name}' is not available in TensorFlow.js (it knows ${[...TFJS_ACTIVATIONS].join(', ')}), so the model cannot be saved in the TF.js layers format`);
}

/** Shape of a layer's weight from its built input shape (for initializers that depend on it). */
function weightShape(layer: Layer, weight: string): number[] | null {
  const found = layer.weights.find((w) => w.name === `${layer.name}/${weight}`);
  if (found !== undefined) return [...found.shape];
  const input = layer.builtInputShape;
  if (input === null) return null;
  const last = input[input.length - 1]!;
  if (layer.className === 'Dense' && weight === 'bias') return [(layer as unknown as { units: number }).units];
  if (layer.className === 'BatchNormalization') return [last];
  return null;
}

/** Rewrites every `<w>_initializer` key of a layer config into the TF.js dialect. */
function exportInitializers(layer: Layer, config: Record<string, unknown>, where: string): void {
  for (const key of Object.keys(config)) {
    if (!key.endsWith('_initializer') || config[key] === null) continue;
    const weight = key.slice(0, -'_initializer'.length);
    config[key] = exportInitializer(config[key] as KerasObject, weightShape(layer, weight), `${where} ${key}`);
  }
}

/** One Keel layer → one or two TF.js layer entries. `taken` holds names in use (for the split LeakyReLU). */
export function exportLayer(layer: Layer, taken: Set<string>): LayerEntry[] {
  const where = `saveModel: layer '${layer.name}' (${layer.className})`;
  if (!EXPORTABLE.has(layer.className)) throw new Error(`${where}: this layer type cannot be written in the TF.js layers format`);
  if (layer.name.includes('/')) throw new Error(`${where}: layer names may not contain '/' (weights are matched by '<layer>/<weight>')`);
  const config: Record<string, unknown> = { ...layer.getConfig() };
  delete config.batch_input_shape; // the input shape goes on the InputLayer entry
  config.dtype = 'float32';
  exportInitializers(layer, config, where);
  const entries: LayerEntry[] = [{ class_name: layer.className, config }];
  switch (layer.className) {
    case 'Dense': {
      const act = tfjsActivation(config.activation as string, where);
      if (act === 'leaky_relu') {
        config.activation = 'linear';
        entries.push(leakyEntry(uniqueName(`${layer.name}_leaky_relu`, taken), layer.trainable));
      } else config.activation = act;
      break;
    }
    case 'Activation': {
      const act = tfjsActivation(config.activation as string, where);
      if (act === 'leaky_relu') return [leakyEntry(layer.name, layer.trainable)];
      config.activation = act;
      break;
    }
    case 'ELU':
      if (config.alpha !== 1) throw new Error(`${where}: alpha = ${String(config.alpha)} cannot be saved for TensorFlow.js, whose ELU layer only supports alpha = 1 (it throws otherwise). Use alpha 1, or keep the model in Keel`);
      break;
    case 'AlphaDropout':
      return [{ class_name: 'AlphaDropout', config: { name: config.name, trainable: config.trainable, dtype: 'float32', rate: config.rate } }];
    default:
      break;
  }
  return entries;
}

/** The slope Keel's 'leaky_relu' activation uses (Keras 3 `leaky_relu` default, keras-semantics.md §2). */
const LEAKY_RELU_ACTIVATION_SLOPE = 0.2;

function leakyEntry(name: string, trainable: boolean): LayerEntry {
  return { class_name: 'LeakyReLU', config: { name, trainable, dtype: 'float32', alpha: LEAKY_RELU_ACTIVATION_SLOPE } };
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

/** The whole `modelTopology` object (§9.4). */
export function exportTopology(model: Sequential): Record<string, unknown> {
  const inputShape = model.getInputShape();
  if (inputShape === null || !model.built) throw new Error(`saveModel: Sequential '${model.name}' is not built yet; give the first layer an inputShape or call model.build([features]) before saving`);
  if (model.layers.length === 0) throw new Error(`saveModel: Sequential '${model.name}' has no layers`);
  const taken = new Set(model.layers.map((l) => l.name));
  const inputName = uniqueName('input_1', taken);
  const layers: LayerEntry[] = [{ class_name: 'InputLayer', config: { batch_input_shape: [null, ...inputShape], dtype: 'float32', sparse: false, name: inputName } }];
  for (const layer of model.layers) layers.push(...exportLayer(layer, taken));
  return {
    class_name: 'Sequential',
    // Informational (§9.4); '2.15.0' tells readers which dialect this is: tf.keras 2 / TF.js.
    keras_version: '2.15.0',
    backend: 'tensorflow',
    config: { name: model.name, layers },
  };
}
