/**
 * String identifiers → things, with errors that suggest the closest known name
 * ('he_normall' → did you mean 'he_normal'?). Keras names are accepted verbatim,
 * and so are their camelCase forms ('he_normal' and 'heNormal').
 */

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

/** Levenshtein distance, for suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate to `name`, if it is close enough to be a likely typo. */
export function closest(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null, bestDistance = Infinity;
  for (const c of candidates) {
    // Case differences cost half an edit, so the spelling in the user's own style wins ties.
    const folded = editDistance(name.toLowerCase(), c.toLowerCase());
    const d = folded + (editDistance(name, c) > folded ? 0.5 : 0);
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

/** "Unknown X 'name'. Did you mean 'y'? Known: a, b, c" */
export function unknownNameError(kind: string, name: string, known: readonly string[], where?: string, spellings: readonly string[] = known): Error {
  // Suggest among every accepted spelling, so 'he_normall' gets 'he_normal', not 'HeNormal'.
  const suggestion = closest(name, spellings);
  const prefix = where === undefined ? '' : `${where}: `;
  return new Error(`${prefix}unknown ${kind} '${name}'.${suggestion !== null ? ` Did you mean '${suggestion}'?` : ''} Known: ${known.join(', ')}`);
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

  has(name: string): boolean { return this.entries.has(name); }

  get(name: string, where?: string): T {
    const value = this.entries.get(name);
    if (value === undefined) throw unknownNameError(this.kind, name, this.canonical, where, this.keys);
    return value;
  }

  names(): readonly string[] { return this.canonical; }
}
