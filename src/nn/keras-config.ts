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
): T {
  if (typeof identifier === 'string') return registry.get(identifier, where).create({});
  const entry = registry.get(identifier.class_name, where);
  return entry.create(
    configToArgs(
      kerasConfig(identifier, where ?? fallback),
      entry.keys,
      `${where ?? fallback} (${identifier.class_name})`,
    ),
  );
}
