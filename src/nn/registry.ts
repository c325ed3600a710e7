/**
 * String identifiers → things, with errors that suggest the closest known name
 * ('he_normall' → did you mean 'he_normal'?). Keras names are accepted verbatim,
 * and so are their camelCase forms ('he_normal' and 'heNormal').
 */

import { closest } from '../util/suggest.js';

export { closest } from '../util/suggest.js';

/** Keras `to_snake_case`: 'LeakyReLU' → 'leaky_re_lu', 'heNormal' → 'he_normal'. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** 'he_normal' → 'heNormal'. */
export function toCamelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** "Unknown X 'name'. Did you mean 'y'? Known: a, b, c" */
export function unknownNameError(
  kind: string,
  name: string,
  known: readonly string[],
  where?: string,
  spellings: readonly string[] = known,
): Error {
  // Suggest among every accepted spelling, so 'he_normall' gets 'he_normal', not 'HeNormal'.
  const suggestion = closest(name, spellings);
  const prefix = where === undefined ? '' : `${where}: `;
  return new Error(
    `${prefix}unknown ${kind} '${name}'.${suggestion !== null ? ` Did you mean '${suggestion}'?` : ''} Known: ` +
      `${known.join(', ')}`,
  );
}

/** A table of factories reachable by Keras name, camelCase name and aliases. */
export class Registry<T> {
  private readonly entries = new Map<string, T>();
  private readonly canonical: string[] = [];
  private readonly keys: string[] = [];

  constructor(private readonly kind: string) {}

  /** Registers `value` under `name` (its snake_case and camelCase forms too) and aliases. */
  add(name: string, value: T, aliases: readonly string[] = []): void {
    this.canonical.push(name);
    for (const key of [name, toSnakeCase(name), toCamelCase(name), ...aliases]) {
      if (!this.entries.has(key)) this.keys.push(key);
      this.entries.set(key, value);
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string, where?: string): T {
    const value = this.entries.get(name);
    if (value === undefined) throw unknownNameError(this.kind, name, this.canonical, where, this.keys);
    return value;
  }

  names(): readonly string[] {
    return this.canonical;
  }
}
