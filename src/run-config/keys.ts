/** Checks a config section's keys against the known ones, with a did-you-mean. */
import { unknownNameError } from '../nn/registry.js';
import { formatValue } from '../util/args.js';

export function checkKeys(section: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(section)) {
    if (!known.includes(key)) throw unknownNameError('key', key, known, where);
  }
}

export function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected an object; received ${formatValue(value)}`);
  }
  return value as Record<string, unknown>;
}

export function optionalNumber(
  section: Record<string, unknown>,
  key: string,
  where: string,
  check: (v: number) => boolean,
  expected: string,
): number | undefined {
  const v = section[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !check(v))
    throw new Error(`Invalid ${key} in ${where}: expected ${expected}; received ${formatValue(v)}`);
  return v;
}

/** A boolean key, strictly: "no", 0 or {} is an error, not a truthy or falsy value. */
export function optionalBoolean(section: Record<string, unknown>, key: string, where: string): boolean | undefined {
  const v = section[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean')
    throw new Error(`Invalid ${key} in ${where}: expected true or false; received ${formatValue(v)}`);
  return v;
}

/** A string key (a file path, a column name). */
export function optionalString(section: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = section[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0)
    throw new Error(`Invalid ${key} in ${where}: expected a non-empty string; received ${formatValue(v)}`);
  return v;
}
