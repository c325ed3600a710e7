/**
 * The `model` entry of a run config → Keras layer configs → a Sequential.
 * Accepted forms: a list of `{type, ...snake_case keys}` entries (and
 * `{repeat: n, layers: [...]}` blocks), a list of Keras `{class_name, config}`
 * objects, or a whole Keras `model.to_json()` document (Sequential).
 */
import type { KerasObject } from '../nn/keras-config.js';
import { isKerasObject, kerasConfig } from '../nn/keras-config.js';
import { formatValue } from '../util/args.js';
import { layerFromConfig } from '../nn/layers/index.js';
import { Sequential } from '../nn/model.js';
import type { Layer } from '../nn/layers/layer.js';
import type { SummaryRow } from '../nn/summary.js';
import { asObject, checkKeys } from './keys.js';

/** Largest number of layers a config may expand to (guards absurd `repeat`). */
const MAX_LAYERS = 10_000;

/** Expands `repeat` blocks and `type` shorthands into Keras layer objects. */
export function expandModelSpec(model: unknown, where = 'model'): KerasObject[] {
  if (isKerasObject(model)) return kerasDocumentLayers(model, where);
  if (!Array.isArray(model))
    throw new Error(
      `${where}: expected a list of layers or a Keras model.to_json() document; received ` + `${formatValue(model)}`,
    );
  const out: KerasObject[] = [];
  model.forEach((entry, i) => expandEntry(entry, `${where}[${i}]`, out));
  if (out.length === 0) throw new Error(`${where}: the model has no layers`);
  return out;
}

/** Keys of a Keras model.to_json() document, of its Sequential config and of an InputLayer config. */
const DOCUMENT_KEYS = [
  'class_name',
  'config',
  'module',
  'registered_name',
  'build_config',
  'compile_config',
  'keras_version',
  'backend',
  'model_config',
  'format',
  'generatedBy',
  'convertedBy',
];
const SEQUENTIAL_KEYS = ['name', 'layers', 'trainable', 'dtype', 'build_input_shape'];
const INPUT_LAYER_KEYS = ['batch_shape', 'batch_input_shape', 'dtype', 'sparse', 'ragged', 'name', 'optional'];

function expandEntry(entry: unknown, where: string, out: KerasObject[]): void {
  const e = asObject(entry, where);
  if ('repeat' in e) {
    const n = e.repeat;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_LAYERS)
      throw new Error(
        `Invalid repeat in ${where}: expected a positive integer up to ${MAX_LAYERS}; received ${formatValue(n)}`,
      );
    const extra = Object.keys(e).filter((k) => k !== 'repeat' && k !== 'layers');
    if (extra.length > 0)
      throw new Error(`${where}: a repeat block takes only 'repeat' and 'layers'; received also ${extra.join(', ')}`);
    if (!Array.isArray(e.layers) || e.layers.length === 0)
      throw new Error(`${where}: a repeat block needs a non-empty 'layers' list`);
    for (let r = 0; r < n; r++) {
      (e.layers as unknown[]).forEach((inner, j) => expandEntry(inner, `${where}.layers[${j}]`, out));
      if (out.length > MAX_LAYERS) throw new Error(`${where}: the model expands to more than ${MAX_LAYERS} layers`);
    }
    return;
  }
  if (isKerasObject(e)) {
    out.push({ class_name: e.class_name, config: kerasConfig(e, where) });
    return;
  }
  const { type, ...config } = e;
  if (typeof type !== 'string')
    throw new Error(
      `${where}: each layer needs a 'type' (e.g. "Dense") or Keras {class_name, config}; received ` +
        `${formatValue(e)}`,
    );
  out.push({ class_name: type, config });
}

/** The layer list of a Keras model.to_json() document (Keras 3 or tf.keras 2 dialect). */
function kerasDocumentLayers(doc: KerasObject, where: string): KerasObject[] {
  checkKeys(doc as unknown as Record<string, unknown>, DOCUMENT_KEYS, where);
  const wrapped = (doc as unknown as { model_config?: unknown }).model_config;
  if (wrapped !== undefined && !isKerasObject(wrapped))
    throw new Error(`${where}: model_config must be {class_name, config}; received ${formatValue(wrapped)}`);
  const root = wrapped ?? doc;
  if (root.class_name !== 'Sequential')
    throw new Error(`${where}: only Sequential models can be imported; received a '${root.class_name}' model`);
  const rootConfig = kerasConfig(root, where);
  checkKeys(rootConfig, SEQUENTIAL_KEYS, `${where}.config`);
  if (rootConfig.name !== undefined && rootConfig.name !== null && typeof rootConfig.name !== 'string')
    throw new Error(`${where}.config: name must be a string; received ${formatValue(rootConfig.name)}`);
  const layersList = rootConfig.layers;
  if (!Array.isArray(layersList)) throw new Error(`${where}: the Sequential document has no config.layers list`);
  if (layersList.length === 0) throw new Error(`${where}: the Sequential document has no layers`);
  const out: KerasObject[] = [];
  let pendingInput: unknown[] | null = null;
  layersList.forEach((l, i) => {
    const at = `${where}.config.layers[${i}]`;
    if (!isKerasObject(l)) throw new Error(`${at}: expected {class_name, config}; received ${formatValue(l)}`);
    const lc = kerasConfig(l, at);
    if (l.class_name === 'InputLayer') {
      checkKeys(lc, INPUT_LAYER_KEYS, `${at} (InputLayer)`);
      const shape = lc.batch_input_shape ?? lc.batch_shape ?? null;
      if (shape !== null && !Array.isArray(shape))
        throw new Error(
          `${at} (InputLayer): batch_shape must be a list such as [null, 784]; received ${formatValue(shape)}`,
        );
      pendingInput = shape;
      return;
    }
    const config = { ...lc };
    if (pendingInput !== null && out.length === 0 && config.batch_input_shape === undefined)
      config.batch_input_shape = pendingInput;
    out.push({ class_name: l.class_name, config });
  });
  return out;
}

/**
 * A Sequential from layer configs. When `inputShape` is given (the data's
 * feature shape), the first layer gets it unless it declares its own.
 */
export function buildSequential(
  layerConfigs: readonly KerasObject[],
  inputShape: number[] | null,
  where = 'model',
): Sequential {
  const layerList = constructLayers(layerConfigs, inputShape, where);
  // The plan (shapes and parameter counts from weightSpecs, nothing allocated) enforces the budget first.
  if (inputShape !== null || layerList[0]?.declaredInputShape != null) planLayers(layerList, inputShape, where);
  const model = new Sequential(layerList);
  if (!model.built && inputShape !== null) model.build(inputShape);
  return model;
}

/** Most parameters a config may ask for (4 bytes each, and optimizers keep up to 3 more copies). */
export const MAX_CONFIG_PARAMS = 2 ** 26;
/** Most values one layer may output per example (a batch keeps each layer's output, and its gradient). */
export const MAX_LAYER_OUTPUT = 2 ** 20;

export interface ModelPlan {
  rows: SummaryRow[];
  trainable: number;
  nonTrainable: number;
  outputShape: number[];
  lastLayer: { name: string; className: string } | null;
}

/**
 * The model's table without building it: each layer's output shape and weights (weightSpecs, as the loader
 * plans), so `keel summary` allocates nothing and an oversized config is refused before any weight exists.
 */
export function planLayers(layerList: readonly Layer[], inputShape: number[] | null, where = 'model'): ModelPlan {
  let shape = layerList[0]?.declaredInputShape ?? inputShape;
  if (shape === null) throw new Error(`${where}: the input shape is unknown (give the first layer an input shape)`);
  let trainable = 0,
    nonTrainable = 0;
  const rows = layerList.map((layer) => {
    const specs = layer.weightSpecs(shape!) ?? [];
    let params = 0;
    for (const spec of specs) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      params += size;
      if (spec.trainable === false) nonTrainable += size;
      else trainable += size;
      if (!(trainable + nonTrainable <= MAX_CONFIG_PARAMS))
        throw new Error(
          `${where}: layer '${layer.name}' (${layer.className}) brings the model to more than ` +
            `${MAX_CONFIG_PARAMS.toLocaleString('en-US')} parameters (its ${spec.name} alone has shape ` +
            `[${spec.shape.join(', ')}]), the most a config may ask for; use fewer units or layers`,
        );
    }
    shape = layer.computeOutputShape(shape!);
    const features = shape.reduce((a, b) => a * b, 1);
    if (!(features <= MAX_LAYER_OUTPUT))
      throw new Error(
        `${where}: layer '${layer.name}' (${layer.className}) outputs ${features.toLocaleString('en-US')} values per ` +
          `example, more than the ${MAX_LAYER_OUTPUT.toLocaleString('en-US')} a config may ask for (each batch ` +
          'holds them several times); use fewer units',
      );
    return { name: layer.name, className: layer.className, outputShape: shape, params };
  });
  const last = layerList[layerList.length - 1];
  return {
    rows,
    trainable,
    nonTrainable,
    outputShape: shape,
    lastLayer: last ? { name: last.name, className: last.className } : null,
  };
}

/** The config's layers, constructed (not built); the first gets the data's shape unless it declares one. */
export function constructLayers(
  layerConfigs: readonly KerasObject[],
  inputShape: number[] | null,
  where = 'model',
): Layer[] {
  return layerConfigs.map((c, i) => {
    const config = { ...(c.config ?? {}) } as Record<string, unknown>;
    if (
      i === 0 &&
      inputShape !== null &&
      config.batch_input_shape === undefined &&
      config.input_shape === undefined &&
      config.batch_shape === undefined &&
      config.input_dim === undefined
    ) {
      config.batch_input_shape = [null, ...inputShape];
    }
    return layerFromConfig({ class_name: c.class_name, config }, `${where}[${i}]`);
  });
}
