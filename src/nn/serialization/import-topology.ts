/**
 * `modelTopology` (or a Keras `model.to_json()` document) → Keel layers, reading
 * both dialects of keras-semantics.md §9.1:
 *  - Keras 3: objects carry `module`/`registered_name`, `dtype` is a DTypePolicy
 *    object, the input is an InputLayer with `batch_shape`;
 *  - tf.keras 2 / TF.js: bare {class_name, config}, dtype strings,
 *    `batch_input_shape` on an InputLayer or on the first layer; TF.js may also
 *    write camelCase string values ('glorotUniform', 'fanAvg', 'hardSigmoid').
 * Layers are constructed here but not built: nothing proportional to a weight
 * shape is allocated until plan.ts has checked the sizes.
 *
 * One name means two functions: 'hard_sigmoid' is clip(x/6 + 1/2) in Keras 3
 * but clip(0.2x + 1/2) in tf.keras 2 and TF.js (§2). Keel has both: a tf.keras-2/TF.js
 * document's 'hard_sigmoid' is read as 'hard_sigmoid_keras2' (their LSTM/GRU default).
 */
import type { Layer } from '../layers/layer.js';
import { layerFromConfig, type CustomObjects } from '../layers/index.js';
import { toSnakeCase } from '../registry.js';
import { isPlainObject, checkInputShape, typeError, rethrowWithContext } from './validate.js';
import { importFunctional, type FunctionalTopology } from './import-functional.js';

export type Dialect = 'keras3' | 'tf_keras2';

export interface ImportedTopology {
  name: string | undefined;
  /** A Sequential's layers in order; a functional model's, in the order of the document. */
  layers: Layer[];
  /** A functional model's graph (null for a Sequential). */
  functional: FunctionalTopology | null;
  /** From an InputLayer, the first layer's batch_input_shape, or Keras 3's build_input_shape. */
  inputShape: number[] | null;
  dialect: Dialect;
}

const MAX_LAYERS = 10_000;
const BOOLEAN_KEYS = ['trainable', 'use_bias', 'useBias', 'center', 'scale'];
const NUMBER_KEYS = ['units', 'rate', 'momentum', 'epsilon', 'alpha', 'negative_slope', 'negativeSlope'];
const INITIALIZER_NUMBER_KEYS = ['scale', 'mean', 'stddev', 'minval', 'maxval', 'value', 'gain'];

/** Keras 3 if any object says so (`module` keys, DTypePolicy dtypes, keras_version 3.x). */
export function detectDialect(topology: Record<string, unknown>, entries: unknown[], kerasVersion: unknown): Dialect {
  if ('module' in topology || (typeof kerasVersion === 'string' && kerasVersion.startsWith('3'))) return 'keras3';
  for (const e of entries) {
    if (isPlainObject(e) && ('module' in e || (isPlainObject(e.config) && isPlainObject(e.config.dtype))))
      return 'keras3';
  }
  return 'tf_keras2';
}

/** Checks the types of an initializer identifier (a string or {class_name, config}) so later code sees sane values. */
function checkInitializer(value: unknown, where: string): void {
  if (value === null || typeof value === 'string') return;
  if (!isPlainObject(value) || typeof value.class_name !== 'string')
    throw typeError(where, 'an initializer name or {class_name, config}', value);
  const config = value.config ?? {};
  if (!isPlainObject(config)) throw typeError(`${where}.config`, 'an object', config);
  for (const [k, v] of Object.entries(config)) {
    if (INITIALIZER_NUMBER_KEYS.includes(k) && (typeof v !== 'number' || !Number.isFinite(v)))
      throw typeError(`${where}.config.${k}`, 'a finite number', v);
    if ((k === 'mode' || k === 'distribution') && typeof v !== 'string')
      throw typeError(`${where}.config.${k}`, 'a string', v);
    if (k === 'seed' && v !== null && !(typeof v === 'number' && Number.isSafeInteger(v)))
      throw typeError(`${where}.config.seed`, 'an integer or null', v);
  }
}

/** Type checks on one layer config; returns a cleaned copy. */
export function checkLayerConfig(
  className: string,
  config: Record<string, unknown>,
  dialect: Dialect,
  where: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  if (out.name !== undefined && (typeof out.name !== 'string' || out.name.length === 0 || out.name.length > 256))
    throw typeError(`${where}.name`, 'a non-empty string', out.name);
  for (const k of BOOLEAN_KEYS)
    if (out[k] !== undefined && typeof out[k] !== 'boolean') throw typeError(`${where}.${k}`, 'true or false', out[k]);
  for (const k of NUMBER_KEYS)
    if (out[k] !== undefined && out[k] !== null && typeof out[k] !== 'number')
      throw typeError(`${where}.${k}`, 'a number', out[k]);
  for (const k of Object.keys(out)) if (/_initializer$|Initializer$/.test(k)) checkInitializer(out[k], `${where}.${k}`);
  if (out.dtype !== undefined && out.dtype !== null && typeof out.dtype !== 'string') {
    // Keras 3 DTypePolicy {class_name: 'DTypePolicy', config: {name: 'float32'}} → its name.
    const name = isPlainObject(out.dtype) && isPlainObject(out.dtype.config) ? out.dtype.config.name : undefined;
    if (typeof name !== 'string')
      throw typeError(`${where}.dtype`, 'a dtype string or a DTypePolicy object', out.dtype);
    out.dtype = name;
  }
  if (out.dtype !== undefined && out.dtype !== null && out.dtype !== 'float32')
    throw new Error(`${where}: dtype '${String(out.dtype)}' is not supported; Keel computes in float32`);
  for (const key of ['batch_input_shape', 'batchInputShape', 'batch_shape', 'batchShape']) {
    if (out[key] !== undefined && out[key] !== null) checkInputShape(out[key], `${where}.${key}`, true);
  }
  if (out.input_shape !== undefined && out.input_shape !== null)
    checkInputShape(out.input_shape, `${where}.input_shape`, false);
  if (out.input_dim !== undefined && out.input_dim !== null)
    checkInputShape([out.input_dim], `${where}.input_dim`, false);
  if (
    out.axis !== undefined &&
    typeof out.axis !== 'number' &&
    !(Array.isArray(out.axis) && out.axis.length === 1 && typeof out.axis[0] === 'number')
  ) {
    throw typeError(`${where}.axis`, 'an integer', out.axis);
  }
  // A wrapper's inner layers (Bidirectional's layer and backward_layer) get the same checks, in the same dialect.
  for (const key of ['layer', 'backward_layer', 'backwardLayer']) {
    const inner = out[key];
    if (isPlainObject(inner) && typeof inner.class_name === 'string' && isPlainObject(inner.config))
      out[key] = {
        ...inner,
        config: checkLayerConfig(inner.class_name, inner.config, dialect, `${where}.${key}.config`),
      };
  }
  // Recurrent layers' gate activation too: tf.keras 2 and TF.js default LSTM/GRU to 'hard_sigmoid'.
  for (const key of ['activation', 'recurrent_activation', 'recurrentActivation']) {
    if (!(key in out)) continue;
    const act = out[key];
    if (act !== null && typeof act !== 'string' && !(isPlainObject(act) && typeof act.class_name === 'string')) {
      throw typeError(`${where}.${key}`, 'an activation name or a layer object {class_name, config}', act);
    }
    // In those dialects 'hard_sigmoid' is clip(0.2x + 1/2, 0, 1); Keel's 'hard_sigmoid' is Keras 3's clip(x/6 + 1/2).
    if (typeof act === 'string' && toSnakeCase(act) === 'hard_sigmoid' && dialect !== 'keras3')
      out[key] = 'hard_sigmoid_keras2';
  }
  return out;
}

/** The layer entries and model-level fields of a topology, unwrapping H5-style {model_config}. */
function unwrap(
  topology: unknown,
  where: string,
): { top: Record<string, unknown>; entries: unknown[]; name: unknown; kerasVersion: unknown } {
  if (!isPlainObject(topology)) throw typeError(where, 'a {class_name, config} object', topology);
  let top = topology;
  const kerasVersion = top.keras_version;
  if (isPlainObject(top.model_config)) top = top.model_config;
  const cls = top.class_name;
  if (cls !== 'Sequential')
    throw new Error(
      `${where}: expected class_name 'Sequential', 'Functional' or 'Model'; received ` +
        `${JSON.stringify(cls)?.slice(0, 80)}`,
    );
  const config = top.config;
  // Keras ≤ 2.1 wrote a Sequential's config as the bare list of layers.
  const entries = Array.isArray(config)
    ? config
    : isPlainObject(config) && Array.isArray(config.layers)
      ? config.layers
      : null;
  if (entries === null)
    throw new Error(
      `${where}.config: expected {name, layers: [...]}; received ${JSON.stringify(config)?.slice(0, 120)}`,
    );
  if (entries.length > MAX_LAYERS)
    throw new Error(`${where}.config.layers: ${entries.length} layers is more than the ${MAX_LAYERS} allowed`);
  const name = isPlainObject(config) ? config.name : undefined;
  return { top, entries, name, kerasVersion };
}

/** The Keras 3 model-level input shape, if any: config.build_input_shape or build_config.input_shape. */
function buildInputShape(top: Record<string, unknown>, where: string): number[] | null {
  const config = isPlainObject(top.config) ? top.config : {};
  const shape =
    config.build_input_shape ?? (isPlainObject(top.build_config) ? top.build_config.input_shape : undefined);
  return shape === undefined || shape === null ? null : checkInputShape(shape, `${where}.build_input_shape`, true);
}

export function importTopology(
  topology: unknown,
  where = 'modelTopology',
  customObjects?: CustomObjects,
): ImportedTopology {
  if (isPlainObject(topology)) {
    const top = isPlainObject(topology.model_config) ? topology.model_config : topology;
    if (top.class_name === 'Functional' || top.class_name === 'Model') {
      const kerasVersion = topology.keras_version;
      const functional = importFunctional(top, where, customObjects, (entries) =>
        detectDialect(top, entries, kerasVersion),
      );
      const inputShape = functional.inputs[0]?.shape ?? null;
      return { name: functional.name, layers: functional.layers, functional, inputShape, dialect: functional.dialect };
    }
  }
  const { top, entries, name, kerasVersion } = unwrap(topology, where);
  if (name !== undefined && typeof name !== 'string') throw typeError(`${where}.config.name`, 'a string', name);
  const dialect = detectDialect(top, entries, kerasVersion);
  const layers: Layer[] = [];
  let inputShape: number[] | null = null;
  entries.forEach((entry, i) => {
    const lw = `${where}.config.layers[${i}]`;
    if (!isPlainObject(entry) || typeof entry.class_name !== 'string')
      throw typeError(lw, 'a {class_name, config} object', entry);
    const raw = entry.config ?? {};
    if (!isPlainObject(raw)) throw typeError(`${lw}.config`, 'an object', raw);
    if (entry.class_name === 'InputLayer') {
      if (layers.length > 0) throw new Error(`${lw}: an InputLayer may only come first in a Sequential model`);
      const shape = raw.batch_input_shape ?? raw.batch_shape ?? raw.batchInputShape;
      inputShape =
        shape !== undefined && shape !== null
          ? checkInputShape(shape, `${lw}.config.batch_input_shape`, true)
          : raw.input_shape !== undefined
            ? checkInputShape(raw.input_shape, `${lw}.config.input_shape`, false)
            : null;
      if (raw.dtype !== undefined) checkLayerConfig('InputLayer', { dtype: raw.dtype }, dialect, `${lw}.config`);
      return;
    }
    const config = checkLayerConfig(entry.class_name, raw, dialect, `${lw}.config`);
    try {
      layers.push(layerFromConfig({ class_name: entry.class_name, config }, lw, customObjects));
    } catch (e) {
      rethrowWithContext(e, lw);
    }
  });
  if (layers.length === 0) throw new Error(`${where}: the model has no layers`);
  if (
    layers.length > 1 &&
    layers.slice(1).some((l) => l.declaredInputShape !== null) &&
    inputShape === null &&
    layers[0]!.declaredInputShape === null
  ) {
    throw new Error(`${where}: only the first layer may declare an input shape`);
  }
  inputShape ??= layers[0]!.declaredInputShape ?? buildInputShape(top, where);
  return { name: name as string | undefined, layers, functional: null, inputShape, dialect };
}
