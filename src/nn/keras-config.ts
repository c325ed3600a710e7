/**
 * Keras-style config objects ({class_name, config} with snake_case keys) →
 * typed constructor arguments (camelCase), rejecting unknown keys with a suggestion.
 */
import { toCamelCase, toSnakeCase, unknownNameError, type Registry } from './registry.js';
import { formatValue } from '../util/args.js';

export interface KerasObject {
  class_name: string;
  config?: Record<string, unknown>;
  module?: unknown;
  registered_name?: unknown;
}

export function isKerasObject(value: unknown): value is KerasObject {
  return typeof value === 'object' && value !== null && typeof (value as KerasObject).class_name === 'string';
}

/** Keys a Keras {class_name, config} object may carry besides those two (Keras 3 and tf.keras metadata). */
const OBJECT_KEYS = [
  'class_name',
  'config',
  'module',
  'registered_name',
  'build_config',
  'compile_config',
  'name',
  'inbound_nodes',
  'shared_object_id',
];

/**
 * The settings of a Keras {class_name, config} object, checked: no key besides class_name, config and Keras's
 * metadata (a misspelt 'confg' would otherwise leave every setting at its default, silently), and a config that
 * is an object (or absent).
 */
export function kerasConfig(object: KerasObject, where: string): Record<string, unknown> {
  for (const key of Object.keys(object))
    if (!OBJECT_KEYS.includes(key))
      throw unknownNameError('key', key, ['class_name', 'config', 'module', 'registered_name'], `${where}`);
  const config = object.config;
  if (config === undefined) return {};
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new Error(
      `${where} (${object.class_name}): 'config' must be an object of its settings, e.g. {}; received ` +
        `${formatValue(config)}`,
    );
  return config;
}

/**
 * Converts a snake_case (or camelCase) config to camelCase args, keeping only
 * `allowed` keys (given in camelCase) and ignoring `ignored` ones (Keras keys with
 * no effect here, such as regularizers set to null).
 */
export function configToArgs(
  config: Record<string, unknown>,
  allowed: readonly string[],
  where: string,
  ignored: readonly string[] = [],
): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const camel = toCamelCase(key);
    if (allowed.includes(camel)) {
      args[camel] = value;
      continue;
    }
    if (ignored.includes(camel)) continue;
    throw unknownNameError('config key', key, allowed.map(toSnakeCase), where);
  }
  return args;
}

/** A registry entry that builds an object from camelCase args; `keys` are the config keys it accepts. */
export interface Factory<T> {
  create: (args: Record<string, unknown>) => T;
  keys: readonly string[];
}

/**
 * An object from a Keras name ('l2') or a {class_name, config} object whose keys are checked against the
 * entry's (with a suggestion): the one path regularizers, constraints and schedules share. `fallback`
 * names the caller in messages when `where` is not given.
 */
export function fromRegistry<T>(
  registry: Registry<Factory<T>>,
  identifier: string | KerasObject,
  where: string | undefined,
  fallback: string,
  base?: abstract new (...args: never[]) => T,
): T {
  const name = typeof identifier === 'string' ? identifier : identifier.class_name;
  const custom = base !== undefined ? customClass(name, base) : null;
  if (custom !== null) {
    // Keras's cls(**config): a custom class takes its whole config, camelCased.
    const args: Record<string, unknown> = {};
    if (typeof identifier !== 'string')
      for (const [key, value] of Object.entries(kerasConfig(identifier, where ?? fallback)))
        args[toCamelCase(key)] = value;
    return new custom(args);
  }
  const entry = lookup(registry, name, where, base);
  if (typeof identifier === 'string') return entry.create({});
  return entry.create(
    configToArgs(
      kerasConfig(identifier, where ?? fallback),
      entry.keys,
      `${where ?? fallback} (${identifier.class_name})`,
    ),
  );
}

/** The registry's entry for `name`; for a kind that custom classes may extend, the error says how to load one. */
function lookup<T>(
  registry: Registry<Factory<T>>,
  name: string,
  where: string | undefined,
  base: (abstract new (...args: never[]) => T) | undefined,
): Factory<T> {
  try {
    return registry.get(name, where);
  } catch (e) {
    if (base !== undefined && e instanceof Error && /^[A-Z]\w*$/.test(name))
      e.message +=
        `\nhelp: if '${name}' is your own ${base.name} subclass, pass it when loading — ` +
        `loadModel(path, { customObjects: { ${name} } }) or modelFromKerasJson(json, { customObjects: { ${name} } })`;
    throw e;
  }
}

/** Classes by the name configs write them under: `{ Scale, MyPenalty }` (Keras's `custom_objects`). */
export type CustomObjects = Readonly<Record<string, new (...args: never[]) => object>>;

const customScopes: CustomObjects[] = [];

/**
 * Runs `fn` with `objects` visible to every config lookup inside it (Keras's `custom_object_scope`): the
 * loaders wrap a model's layers in it, so a custom regularizer, constraint or schedule named in a layer's
 * config is found as well as a custom layer.
 */
export function withCustomObjects<R>(objects: CustomObjects | undefined, fn: () => R): R {
  if (objects === undefined || Object.keys(objects).length === 0) return fn();
  customScopes.push(objects);
  try {
    return fn();
  } finally {
    customScopes.pop();
  }
}

/** The innermost custom class named `name` that extends `base`, or null. */
export function customClass<T>(
  name: string,
  base: abstract new (...args: never[]) => T,
): (new (args: Record<string, unknown>) => T) | null {
  for (let i = customScopes.length - 1; i >= 0; i--) {
    const scope = customScopes[i]!;
    const cls = Object.prototype.hasOwnProperty.call(scope, name) ? scope[name] : undefined;
    if (typeof cls === 'function' && (cls === (base as unknown) || cls.prototype instanceof base))
      return cls as unknown as new (args: Record<string, unknown>) => T;
  }
  return null;
}
