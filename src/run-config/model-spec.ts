/**
 * The `model` entry of a run config → Keras layer configs → a Sequential.
 * Accepted forms: a list of `{type, ...snake_case keys}` entries (and
 * `{repeat: n, layers: [...]}` blocks), a list of Keras `{class_name, config}`
 * objects, or a whole Keras `model.to_json()` document (Sequential).
 */
import type { KerasObject } from '../nn/keras-config.js';
import { isKerasObject } from '../nn/keras-config.js';
import { layerFromConfig } from '../nn/layers/index.js';
import { Sequential } from '../nn/model.js';
import { asObject } from './keys.js';

/** Largest number of layers a config may expand to (guards absurd `repeat`). */
const MAX_LAYERS = 10_000;

/** Expands `repeat` blocks and `type` shorthands into Keras layer objects. */
export function expandModelSpec(model: unknown, where = 'model'): KerasObject[] {
  if (isKerasObject(model)) return kerasDocumentLayers(model, where);
  if (!Array.isArray(model))
    throw new Error(
      `${where}: expected a list of layers or a Keras model.to_json() document; received ` +
        `${JSON.stringify(model)?.slice(0, 120)}`,
    );
  const out: KerasObject[] = [];
  model.forEach((entry, i) => expandEntry(entry, `${where}[${i}]`, out));
  if (out.length === 0) throw new Error(`${where}: the model has no layers`);
  return out;
}

function expandEntry(entry: unknown, where: string, out: KerasObject[]): void {
  const e = asObject(entry, where);
  if ('repeat' in e) {
    const n = e.repeat;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_LAYERS)
      throw new Error(
        `Invalid repeat in ${where}: expected a positive integer up to ${MAX_LAYERS}; received ${JSON.stringify(n)}`,
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
    out.push(e);
    return;
  }
  const { type, ...config } = e;
  if (typeof type !== 'string')
    throw new Error(
      `${where}: each layer needs a 'type' (e.g. "Dense") or Keras {class_name, config}; received ` +
        `${JSON.stringify(e).slice(0, 120)}`,
    );
  out.push({ class_name: type, config });
}

/** The layer list of a Keras model.to_json() document (Keras 3 or tf.keras 2 dialect). */
function kerasDocumentLayers(doc: KerasObject, where: string): KerasObject[] {
  const root = (doc as unknown as { model_config?: KerasObject }).model_config ?? doc;
  if (root.class_name !== 'Sequential')
    throw new Error(`${where}: only Sequential models can be imported; received a '${root.class_name}' model`);
  const layersList = (root.config as { layers?: unknown } | undefined)?.layers;
  if (!Array.isArray(layersList)) throw new Error(`${where}: the Sequential document has no config.layers list`);
  const out: KerasObject[] = [];
  let pendingInput: unknown[] | null = null;
  layersList.forEach((l, i) => {
    if (!isKerasObject(l)) throw new Error(`${where}.config.layers[${i}]: expected {class_name, config}`);
    if (l.class_name === 'InputLayer') {
      const c = (l.config ?? {}) as Record<string, unknown>;
      pendingInput = (c.batch_input_shape ?? c.batch_shape ?? null) as unknown[] | null;
      return;
    }
    const config = { ...(l.config ?? {}) } as Record<string, unknown>;
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
  const layerList = layerConfigs.map((c, i) => {
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
  const model = new Sequential(layerList);
  if (!model.built && inputShape !== null) model.build(inputShape);
  return model;
}
