/**
 * The Keras 3 documents a model file carries: `config.json` of a `.keras` archive (the model's
 * `serialize_keras_object`, with `build_config` and, when compiled, `compile_config`), the order in which
 * Keras 3 walks the layers when it names their variable groups, and a JSON writer that keeps floats floats.
 *
 * JSON cannot tell 0 from 0.0, but Python can: Keras 3's SGD rejects `"momentum": 0` (an int). Config values
 * are floats in Keras unless their key names a count, a size or an index (INT_KEYS), so an integer-valued
 * number under any other key is written with a `.0`; numbers inside arrays (shapes, kernel sizes, axes,
 * keras_history) are written as they are.
 */
import { kerasModelDocument as modelDocument, type Model } from '../../nn/functional.js';
import { Sequential } from '../../nn/model.js';
import type { Layer } from '../../nn/layers/layer.js';

/** Config keys whose values Keras keeps as Python ints. */
const INT_KEYS = new Set([
  'units',
  'filters',
  'kernel_size',
  'strides',
  'pool_size',
  'dilation_rate',
  'axis',
  'input_dim',
  'output_dim',
  'seed',
  'groups',
  'depth_multiplier',
  'decay_steps',
  'first_decay_steps',
  'warmup_steps',
  'ema_overwrite_frequency',
  'gradient_accumulation_steps',
  'steps_per_execution',
  'size',
  'n',
  'dims',
  'target_shape',
  'batch_size',
  'shape',
  'batch_shape',
  'batch_input_shape',
  'input_shape',
  'num_heads',
  'key_dim',
  'patience',
  'verbose',
]);

/** JSON text in which every integer-valued number outside INT_KEYS and arrays is written as a float (0 → 0.0). */
export function stringifyKerasJson(value: unknown): string {
  const out: string[] = [];
  const write = (v: unknown, floatContext: boolean) => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Error(`a Keras config cannot hold ${v} (JSON has no NaN or Infinity)`);
      out.push(floatContext && Number.isInteger(v) && Math.abs(v) < 1e16 ? `${v}.0` : JSON.stringify(v));
    } else if (Array.isArray(v)) {
      out.push('[');
      v.forEach((item, i) => {
        if (i > 0) out.push(', ');
        write(item, false);
      });
      out.push(']');
    } else if (typeof v === 'object' && v !== null) {
      out.push('{');
      let first = true;
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        if (item === undefined) continue;
        if (!first) out.push(', ');
        first = false;
        out.push(JSON.stringify(k), ': ');
        write(item, !INT_KEYS.has(k));
      }
      out.push('}');
    } else out.push(JSON.stringify(v) ?? 'null');
  };
  write(value, false);
  return out.join('');
}

/** Keras's `naming.to_snake_case`: 'BatchNormalization' → 'batch_normalization', 'PReLU' → 'p_re_lu'. */
export function toKerasSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** One entry of the model's `layers` as Keras 3 walks them when saving: its group in model.weights.h5. */
export interface KerasLayerSlot {
  /** null for an InputLayer (no variables). */
  layer: Layer | null;
  name: string;
  /** e.g. 'layers/dense_1' (Keras names groups by class, numbered in order, not by layer name). */
  path: string;
}

/**
 * The model's layers in Keras 3's `model.layers` order with their groups: a Sequential's layers (no
 * InputLayer), a functional model's InputLayers then its layers.
 */
export function kerasLayerSlots(model: Model): KerasLayerSlot[] {
  const used = new Map<string, number>();
  const unique = (className: string) => {
    const base = toKerasSnakeCase(className);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    return n === undefined ? base : `${base}_${n + 1}`;
  };
  const slots: KerasLayerSlot[] = [];
  if (!(model instanceof Sequential))
    for (const t of model.inputs)
      slots.push({ layer: null, name: t.inputName ?? 'input_layer', path: `layers/${unique('InputLayer')}` });
  for (const layer of model.layers) slots.push({ layer, name: layer.name, path: `layers/${unique(layer.className)}` });
  return slots;
}

/** The model's Keras 3 document (`serialize_keras_object(model)` + build_config, compile_config when compiled). */
export function kerasModelDocument(model: Model, options: { compile?: boolean } = {}): Record<string, unknown> {
  if (!model.built)
    throw new Error(`${model.where}: the model is not built, so it has no input shape to save; call build() first`);
  const doc = modelDocument(model);
  const compiled = options.compile === false ? null : compileConfig(model);
  if (compiled !== null) doc.compile_config = compiled;
  return doc;
}

/** Keras 3 `model.get_compile_config()` of a compiled model, or null. */
export function compileConfig(model: Model): Record<string, unknown> | null {
  const c = model.compiled;
  if (c === null) return null;
  const lossNames = c.losses.map((l) => l.lossName);
  const single = lossNames.length === 1;
  return {
    optimizer: {
      module: 'keras.optimizers',
      class_name: c.optimizer.className,
      config: c.optimizer.getConfig(),
      registered_name: null,
    },
    loss: single ? lossNames[0] : lossNames,
    loss_weights: c.lossWeights.every((w) => w === 1) ? null : c.lossWeights,
    metrics: single ? c.metrics.map((m) => m.name) : null,
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}
