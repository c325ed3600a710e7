/**
 * Argument validation for every constructor (layers, optimizers, callbacks, initializers).
 *
 * One message style everywhere:
 *   Invalid rate for Dropout 'dropout_2': expected a number in [0, 1); received 1.5
 *   help: <a sentence, when there is a fix>
 * and for a misspelt option (plain-JavaScript users get no compiler):
 *   SGD: unknown option 'learning_rate'. Did you mean 'learningRate'? Known: learningRate, momentum, ...
 * Values are printed as received (NaN stays NaN, -0 stays -0). Nothing is ever clamped.
 */
import { closest } from './suggest.js';

export type ArgRule =
  | {
      type: 'number';
      integer?: boolean;
      min?: number;
      max?: number;
      minExclusive?: boolean;
      maxExclusive?: boolean;
      nullable?: boolean;
      help?: string;
      /** Accept ±Infinity (still within min/max). Default false: numbers must be finite. NaN is always rejected. */
      allowInfinity?: boolean;
    }
  | { type: 'boolean'; nullable?: boolean; help?: string }
  | { type: 'string'; oneOf?: readonly string[]; nullable?: boolean; help?: string }
  | { type: 'any' }; // accepted name; the constructor checks the value itself
export type ArgSpec = Readonly<Record<string, ArgRule>>;

const MAX_LENGTH = 100;

/** Prints a value as received: NaN → NaN, Infinity → Infinity, -0 → -0, strings quoted, undefined → undefined,
 * functions → their name, objects → JSON (shortened to ~100 chars). */
export function formatValue(value: unknown): string {
  const s = format(value, new Set(), 0);
  return s.length > MAX_LENGTH ? `${s.slice(0, MAX_LENGTH - 3)}...` : s;
}

function formatNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

function quote(s: string): string {
  const escaped = s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `'${escaped}'`;
}

function format(value: unknown, seen: Set<object>, depth: number): string {
  switch (typeof value) {
    case 'number':
      return formatNumber(value);
    case 'string':
      return depth === 0 ? quote(value) : JSON.stringify(value);
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return value.name ? `function ${value.name}` : 'an anonymous function';
    default:
      break;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (seen.has(obj)) return '[Circular]';
  if (depth > 4) return '...';
  seen.add(obj);
  try {
    if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
      const arr = obj as unknown as ArrayLike<number | bigint>;
      const items: string[] = [];
      for (let i = 0; i < arr.length && i < 20; i++) items.push(format(arr[i], seen, depth + 1));
      if (arr.length > 20) items.push('...');
      return `${obj.constructor.name}(${arr.length}) [${items.join(',')}]`;
    }
    if (Array.isArray(obj)) {
      const items: string[] = [];
      let length = 0;
      for (const item of obj) {
        const s = format(item, seen, depth + 1);
        items.push(s);
        length += s.length + 1;
        if (length > MAX_LENGTH) {
          items.push('...');
          break;
        }
      }
      return `[${items.join(',')}]`;
    }
    if (obj instanceof Date) return `Date(${obj.toISOString()})`;
    if (obj instanceof Error) return `${obj.name}(${JSON.stringify(obj.message)})`;
    if (obj instanceof Map) return `Map(${obj.size})`;
    if (obj instanceof Set) return `Set(${obj.size})`;
    const proto = Object.getPrototypeOf(obj) as { constructor?: { name?: string } } | null;
    const className = proto === null || proto === Object.prototype ? '' : (proto.constructor?.name ?? '');
    const entries: string[] = [];
    let length = 0;
    for (const key of Object.keys(obj)) {
      const s = `${JSON.stringify(key)}:${format((obj as Record<string, unknown>)[key], seen, depth + 1)}`;
      entries.push(s);
      length += s.length + 1;
      if (length > MAX_LENGTH) {
        entries.push('...');
        break;
      }
    }
    return `${className ? `${className} ` : ''}{${entries.join(',')}}`;
  } finally {
    seen.delete(obj);
  }
}

/** What a rule accepts, in words: `a number in [0, 1)`, `a positive integer`, `a number > 0`, `true or false`, `one of
 * 'a', 'b'`. */
export function describeRule(rule: ArgRule): string {
  let text: string;
  switch (rule.type) {
    case 'any':
      return 'any value';
    case 'boolean':
      text = 'true or false';
      break;
    case 'string':
      text = rule.oneOf !== undefined ? `one of ${rule.oneOf.map(quote).join(', ')}` : 'a string';
      break;
    case 'number':
      text = describeNumber(rule);
      break;
  }
  return rule.nullable === true ? `${text} or null` : text;
}

function describeNumber(rule: Extract<ArgRule, { type: 'number' }>): string {
  const { min, max } = rule;
  const minEx = rule.minExclusive === true,
    maxEx = rule.maxExclusive === true;
  const integer = rule.integer === true;
  const noun = integer ? 'integer' : 'number';
  const article = integer ? 'an' : 'a';
  const positive = integer && min !== undefined && ((min === 0 && minEx) || (min === 1 && !minEx));
  if (positive && max !== undefined && !maxEx) return `a positive integer up to ${formatNumber(max)}`;
  if (min !== undefined && max !== undefined) {
    return `${article} ${noun} in ${minEx ? '(' : '['}${formatNumber(min)}, ${formatNumber(max)}${maxEx ? ')' : ']'}`;
  }
  if (min !== undefined) {
    if (positive) return 'a positive integer';
    return `${article} ${noun} ${minEx ? '>' : '≥'} ${formatNumber(min)}`;
  }
  if (max !== undefined) return `${article} ${noun} ${maxEx ? '<' : '≤'} ${formatNumber(max)}`;
  if (integer) return 'an integer';
  return rule.allowInfinity === true ? 'a number (not NaN)' : 'a finite number';
}

function accepts(value: unknown, rule: ArgRule): boolean {
  if (rule.type === 'any') return true;
  if (value === null) return rule.nullable === true;
  switch (rule.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string' && (rule.oneOf === undefined || rule.oneOf.includes(value));
    case 'number': {
      if (typeof value !== 'number' || Number.isNaN(value)) return false;
      if (!Number.isFinite(value) && rule.allowInfinity !== true) return false;
      if (rule.integer === true && !Number.isInteger(value)) return false;
      if (rule.min !== undefined && (rule.minExclusive === true ? !(value > rule.min) : !(value >= rule.min)))
        return false;
      if (rule.max !== undefined && (rule.maxExclusive === true ? !(value < rule.max) : !(value <= rule.max)))
        return false;
      return true;
    }
  }
}

/** The error for a value its rule rejects (exported so constructors checking a value themselves speak alike). */
export function invalidArgError(name: string, where: string, expected: string, value: unknown, help?: string): Error {
  const message = `Invalid ${name} for ${where}: expected ${expected}; received ${formatValue(value)}`;
  return new Error(help !== undefined ? `${message}\nhelp: ${help}` : message);
}

/** `did you mean 'x'?` for a string close to one of `candidates`, else undefined (for a `help:` line). */
export function didYouMean(value: unknown, candidates: readonly string[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  const best = closest(value, candidates);
  return best !== null && best !== value ? `did you mean '${best}'?` : undefined;
}

/**
 * Checks one value against one rule (same messages); returns it. `undefined` means "not given" and passes.
 * A string rule with `oneOf` and no `help` suggests the closest allowed value (`help: did you mean 'max'?`).
 */
export function checkArg<V>(value: V, rule: ArgRule, name: string, where: string): V {
  if (value === undefined || accepts(value, rule)) return value;
  if (rule.type === 'any') return value;
  const help =
    rule.help ?? (rule.type === 'string' && rule.oneOf !== undefined ? didYouMean(value, rule.oneOf) : undefined);
  throw invalidArgError(name, where, describeRule(rule), value, help);
}

/** snake_case → camelCase ('learning_rate' → 'learningRate'). */
function camel(name: string): string {
  return name.replace(/_+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** The option most likely meant by an unknown `name`: its camelCase spelling first, then the closest by edit distance.
 * */
export function suggestOption(name: string, known: readonly string[]): string | null {
  const camelName = camel(name);
  if (known.includes(camelName)) return camelName;
  const lower = known.find(
    (k) => k.toLowerCase() === name.toLowerCase() || k.toLowerCase() === camelName.toLowerCase(),
  );
  if (lower !== undefined) return lower;
  // Swapped letters ('sede' → 'seed') are one typo, not two, so rank by the transposition-aware distance.
  let best: string | null = null,
    bestDistance = Infinity;
  for (const k of known) {
    const d = Math.min(
      typoDistance(camelName.toLowerCase(), k.toLowerCase()),
      typoDistance(name.toLowerCase(), k.toLowerCase()),
    );
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  if (best !== null && bestDistance <= Math.max(2, Math.floor(camelName.length / 3))) return best;
  return closest(camelName, known) ?? closest(name, known);
}

/** Optimal-string-alignment distance: Levenshtein plus adjacent transpositions at cost 1. */
function typoDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_v, i) =>
    Array.from({ length: b.length + 1 }, (_w, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * Rejects unknown option names (with a did-you-mean), then checks each present
 * (not undefined) value against its rule. Returns `args` (or `{}` when undefined).
 */
export function checkArgs<T extends object>(args: T | undefined, spec: ArgSpec, where: string): T {
  if (args === undefined) return {} as T;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new Error(`${where}: expected an options object; received ${formatValue(args)}`);
  }
  const known = Object.keys(spec);
  for (const key of Object.keys(args)) {
    if (Object.prototype.hasOwnProperty.call(spec, key)) continue;
    if (known.length === 0) throw new Error(`${where}: unknown option '${key}'; it takes no options`);
    const suggestion = suggestOption(key, known);
    throw new Error(
      `${where}: unknown option '${key}'.${suggestion !== null ? ` Did you mean '${suggestion}'?` : ''} Known: ` +
        `${known.join(', ')}`,
    );
  }
  const record = args as Record<string, unknown>;
  for (const key of known) checkArg(record[key], spec[key]!, key, where);
  return args;
}

/** At most one of `names` may be set (not undefined, not null): `${where}: only one of a, b, c can be set; received
 * a=1, b=2`. */
export function checkAtMostOne(args: object | undefined, names: readonly string[], where: string): void {
  if (args === undefined || args === null) return;
  const record = args as Record<string, unknown>;
  const set = names.filter((n) => record[n] !== undefined && record[n] !== null);
  if (set.length > 1) {
    throw new Error(
      `${where}: only one of ${names.join(', ')} can be set; received ` +
        `${set.map((n) => `${n}=${formatValue(record[n])}`).join(', ')}`,
    );
  }
}
