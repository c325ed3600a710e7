/**
 * The layer registry and Keras config → layer (Keras `deserialize` /
 * `from_config`, both the Keras 3 and the tf.keras 2 / TF.js dialects). Each
 * layer file registers its class; what a config may say comes from the class
 * itself: its `argSpec` (the constructor's options) or, for a custom layer
 * without one, the keys its `getConfig()` writes.
 */
import { isKerasObject, kerasConfig, withCustomObjects, type KerasObject } from '../keras-config.js';
import { closest } from '../registry.js';
import { toCamelCase, toSnakeCase, unknownNameError } from '../registry.js';
import { setLayerActivationResolver, type ActivationFunction } from '../activations.js';
import { formatValue } from '../../util/args.js';
import { BASE_ARG_SPEC, classNameOf, Layer, type LayerArgSpec, type LayerClass } from './layer.js';

/** Classes by Keras class name (and Keras 3 `registered_name`). */
const classes = new Map<string, LayerClass>();

/** Config keys every layer may carry that change nothing here (Keras 3 and tf.keras 2 bookkeeping). */
const INERT_KEYS = new Set(['module', 'registeredName', 'buildConfig', 'autocast', 'sharedObjectId']);

/**
 * Custom classes by the class name written in configs: layers (`{ Scale }`), and the regularizers,
 * constraints and schedules their configs name (Keras's `custom_objects`).
 */
export type CustomObjects = Readonly<Record<string, LayerClass | (new (...args: never[]) => object)>>;

/**
 * Makes a layer class loadable by its class name (Keras `register_keras_serializable`).
 * @example registerLayer(Scale); await loadModel('out/model'); // finds 'Scale'
 */
export function registerLayer<C extends LayerClass>(cls: C, options: { name?: string } = {}): C {
  if (typeof cls !== 'function' || !(cls.prototype instanceof Object) || typeof cls.prototype.call !== 'function') {
    throw new Error(`registerLayer: expected a Layer subclass; received ${formatValue(cls)}`);
  }
  const name = options.name ?? classNameOf(cls);
  const existing = classes.get(name);
  if (existing !== undefined && existing !== cls) {
    throw new Error(
      `registerLayer: a different class is already registered as '${name}'\nhelp: pass { name: 'MyPackage>${name}' }`,
    );
  }
  classes.set(name, cls);
  return cls;
}

/** The registered layer class names. */
export function layerTypeNames(): readonly string[] {
  return [...classes.keys()];
}

function findClass(className: string, where: string, customObjects: CustomObjects | undefined): LayerClass {
  const custom = customLayers(customObjects);
  const own = custom?.[className] ?? classes.get(className);
  if (own !== undefined) return own;
  // Keras 3 registered names are 'package>Class'; configs may carry either form.
  const short = className.includes('>') ? className.slice(className.lastIndexOf('>') + 1) : null;
  const found = short !== null ? (custom?.[short] ?? classes.get(short)) : undefined;
  if (found !== undefined) return found;
  const known = [...classes.keys(), ...Object.keys(custom ?? {})];
  const error = unknownNameError('layer type', className, known, where);
  error.message +=
    `\nhelp: if '${className}' is your own layer class, pass it when loading — loadModel(path, { customObjects: { ` +
    `${className} } })` +
    ` — or call registerLayer(${className}) first`;
  throw error;
}

/** The layer classes among the custom objects (the others are regularizers, constraints, schedules). */
function customLayers(objects: CustomObjects | undefined): Readonly<Record<string, LayerClass>> | undefined {
  if (objects === undefined) return undefined;
  const isLayer = (c: unknown): c is LayerClass => typeof c === 'function' && c.prototype instanceof Layer;
  return Object.fromEntries(Object.entries(objects).filter(([, c]) => isLayer(c))) as Record<string, LayerClass>;
}

/** Normalizes the base keys every dialect writes (input shapes, dtype policies) into LayerArgs. */
function baseArgs(args: Record<string, unknown>, spec: LayerArgSpec | undefined, where: string): void {
  const batchShape = (args.batchInputShape ?? args.batchShape) as (number | null)[] | undefined | null;
  if (batchShape !== undefined && batchShape !== null) {
    if (!Array.isArray(batchShape))
      throw new Error(
        `${where}: batch_input_shape / batch_shape must be a list such as [null, 784]; received ` +
          `${formatValue(batchShape)}`,
      );
    args.inputShape = batchShape.slice(1);
  }
  // Keras 2's input_dim is an input shape, except for a layer that owns the key (Embedding's vocabulary size).
  if (spec === undefined || !('inputDim' in spec)) {
    if (args.inputDim !== undefined && args.inputDim !== null) args.inputShape = [args.inputDim];
    delete args.inputDim;
  }
  delete args.batchInputShape;
  delete args.batchShape;
  if (args.inputShape === null) delete args.inputShape;
  if (typeof args.dtype === 'object' && args.dtype !== null) {
    args.dtype = (args.dtype as { config?: { name?: string } }).config?.name ?? 'float32';
  }
  if (args.dtype === null) delete args.dtype;
  for (const key of INERT_KEYS) delete args[key];
}

/**
 * A layer from a Keras config object ({class_name, config}, snake_case or camelCase keys).
 * `where` names the place for error messages (e.g. "model.layers[3]").
 * @example layerFromConfig({ class_name: 'Dense', config: { units: 10, activation: 'relu' } })
 */
export function layerFromConfig(object: KerasObject, where = 'layer', customObjects?: CustomObjects): Layer {
  if (!isKerasObject(object)) {
    throw new Error(`${where}: expected {class_name, config}; received ${formatValue(object)}`);
  }
  const cls = findClass(object.class_name, where, customObjects);
  const config = kerasConfig(object, where);
  const at = `${where} (${object.class_name})`;
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) args[toCamelCase(key)] = value;
  const spec = Object.prototype.hasOwnProperty.call(cls, 'argSpec') ? cls.argSpec : undefined;
  baseArgs(args, spec, at);
  if (spec !== undefined) {
    const known = [...Object.keys(BASE_ARG_SPEC), ...Object.keys(spec)];
    for (const key of Object.keys(args)) {
      if (known.includes(key)) continue;
      const suggestion = closest(toSnakeCase(key), known.map(toSnakeCase));
      throw new Error(
        `${at}: unknown config key '${toSnakeCase(key)}'.` +
          `${suggestion !== null ? ` Did you mean '${suggestion}'?` : ''}` +
          ` Known: ${known.map(toSnakeCase).join(', ')}`,
      );
    }
  }
  for (const [key, rule] of Object.entries(spec ?? {})) {
    const value = args[key];
    if (rule === 'unsupported' && value !== undefined && value !== null && value !== false) {
      throw new Error(
        `${at}: '${toSnakeCase(key)}' is not supported; received ${formatValue(value)}\nhelp: leave it out or ` +
          `set it to null`,
      );
    }
  }
  const layer = withCustomObjects(customObjects, () => new cls(args as never));
  if (spec === undefined) {
    // A custom layer without an argSpec: it accepts what its getConfig writes (Keras's cls(**config) contract).
    const written = new Set([...Object.keys(layer.getConfig()).map(toCamelCase), ...Object.keys(BASE_ARG_SPEC)]);
    const unknown = Object.keys(args).filter((k) => !written.has(k));
    if (unknown.length > 0) {
      const key = unknown[0]!;
      const suggestion = closest(key, [...written]);
      throw new Error(
        `${at}: config key '${toSnakeCase(key)}' is not one ${classNameOf(cls)}.getConfig() writes, so it would ` +
          `be ignored.` +
          `${suggestion !== null ? ` Did you mean '${toSnakeCase(suggestion)}'?` : ''}`,
      );
    }
  }
  return layer;
}

/** A layer's Keras config object. */
export function serializeLayer(layer: Layer): { class_name: string; config: Record<string, unknown> } {
  return { class_name: layer.className, config: layer.getConfig() };
}

// An activation written as a layer object ({class_name: 'LeakyReLU', config}) is that layer, used as a function.
setLayerActivationResolver((object: KerasObject, where: string): ActivationFunction => {
  return layerFromConfig(object, where).asActivation();
});
