/** Checks a config section's keys against the known ones, with a did-you-mean. */
import { unknownNameError } from '../nn/registry.js';

export function checkKeys(section: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(section)) {
    if (!known.includes(key)) throw unknownNameError('key', key, known, where);
  }
}

export function asObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected an object; received ${JSON.stringify(value)?.slice(0, 120)}`);
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
    throw new Error(`Invalid ${key} in ${where}: expected ${expected}; received ${JSON.stringify(v)}`);
  return v;
}
