/**
 * Repairs a person can use: the repaired config written in the style of the original (its `repeat` blocks kept,
 * `type` shorthands kept), its description saying what the doctor changed, and that change as a short diff
 * ("bias_initializer constant(-1.5) → zeros in 6 layers; relu → leaky_relu; learning_rate 0.05 → 0.5").
 *
 * @example describeChanges(original, repaired) // ['activation relu → leaky_relu in 4 layers']
 */
import type { KerasObject } from '../nn/keras-config.js';
import type { RunConfig } from '../run-config/run-config.js';
import type { RemedyId } from './types.js';

type Entry = Record<string, unknown>;

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function normalized(config: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config ?? {})) out[snake(k)] = v;
  return out;
}

/** A Keras object in the original's shorthand: {type, ...config}. */
const shorthand = (l: KerasObject): Entry => ({ type: l.class_name, ...normalized(l.config) });

function hasRepeat(model: unknown): boolean {
  return (
    Array.isArray(model) &&
    model.some((e) => typeof e === 'object' && e !== null && ('repeat' in e || hasRepeat((e as Entry).layers)))
  );
}

const usesShorthand = (model: unknown) =>
  Array.isArray(model) && model.some((e) => typeof e === 'object' && e !== null && ('type' in e || 'repeat' in e));

/**
 * Run-length compression into `repeat` blocks: at each position, the period (up to 8 layers) whose repetitions
 * cover the most layers, if it repeats at least twice.
 */
export function compressRepeats(entries: readonly Entry[]): Entry[] {
  const key = entries.map((e) => JSON.stringify(e));
  const out: Entry[] = [];
  let i = 0;
  while (i < entries.length) {
    let bestP = 1,
      bestK = 1;
    for (let p = 1; p <= 8 && i + 2 * p <= entries.length; p++) {
      let k = 1;
      while (i + (k + 1) * p <= entries.length) {
        let same = true;
        for (let j = 0; j < p && same; j++) same = key[i + k * p + j] === key[i + j];
        if (!same) break;
        k++;
      }
      if (k >= 2 && k * p > bestK * bestP) {
        bestP = p;
        bestK = k;
      }
    }
    if (bestK >= 2) {
      out.push({ repeat: bestK, layers: entries.slice(i, i + bestP) });
      i += bestK * bestP;
    } else out.push(entries[i++]!);
  }
  return out;
}

/** The repaired config's document in the original's style, with a note of what changed in its description. */
export function sourceWithRepeats(original: RunConfig, repaired: RunConfig, applied: RemedyId[]): Entry {
  const doc: Entry = { ...repaired.source };
  const model = original.source.model;
  if (usesShorthand(model)) {
    const flat = repaired.layers.map(shorthand);
    doc.model = hasRepeat(model) ? compressRepeats(flat) : flat;
  }
  const changes = describeChanges(original, repaired);
  const note = `Repaired by keel doctor (${applied.join(' + ')}): ${changes.join('; ')}.`;
  const before = typeof original.source.description === 'string' ? `${original.source.description} ` : '';
  doc.description = `${before}${note}`;
  return doc;
}

/** "constant(-1.5)", "he_normal", "none". */
function show(v: unknown): string {
  if (v === undefined || v === null) return 'default';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && 'class_name' in v) {
    const o = v as KerasObject;
    const name = snake(o.class_name).replace(/^_/, '');
    const c = o.config ?? {};
    if ('value' in c) return `${name}(${String(c.value)})`;
    if (name.endsWith('_decay') || name.includes('schedule')) return name;
    return name;
  }
  return JSON.stringify(v);
}

/** Keras's defaults for keys a remedy may write out explicitly (not a change worth listing). */
const DEFAULTS: Record<string, unknown[]> = {
  kernel_initializer: ['glorot_uniform', 'GlorotUniform'],
  bias_initializer: ['zeros', 'Zeros'],
  use_bias: [true],
};
const isKerasDefault = (key: string, value: unknown) => DEFAULTS[key]?.includes(value) ?? false;

/** Longest common subsequence of two class-name lists, as index pairs. */
function align(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length,
    m = b.length;
  const L: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      L[i]![j] = a[i] === b[j] ? 1 + L[i + 1]![j + 1]! : Math.max(L[i + 1]![j]!, L[i]![j + 1]!);
  const pairs: [number, number][] = [];
  let i = 0,
    j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (L[i + 1]![j]! >= L[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

const count = (n: number) => (n === 1 ? 'in 1 layer' : `in ${n} layers`);

function optimizerOf(c: RunConfig): { name: string; config: Record<string, unknown> } {
  const o = c.source.compile as Entry | undefined;
  const spec = o?.optimizer ?? 'sgd';
  if (typeof spec === 'string') return { name: spec.toLowerCase(), config: {} };
  const k = spec as KerasObject;
  return { name: k.class_name.toLowerCase(), config: normalized(k.config) };
}

/** What changed from `a` to `b`, one line per kind of change. */
export function describeChanges(a: RunConfig, b: RunConfig): string[] {
  const lines: string[] = [];
  const ca = a.layers.map((l) => l.class_name),
    cb = b.layers.map((l) => l.class_name);
  const pairs = ca.length === cb.length ? ca.map((_c, i) => [i, i] as [number, number]) : align(ca, cb);
  const counts = new Map<string, number>();
  const bump = (s: string) => counts.set(s, (counts.get(s) ?? 0) + 1);
  for (const [i, j] of pairs) {
    const x = a.layers[i]!,
      y = b.layers[j]!;
    if (x.class_name !== y.class_name) {
      bump(`${x.class_name} → ${y.class_name}`);
      continue;
    }
    const px = normalized(x.config),
      py = normalized(y.config);
    for (const k of new Set([...Object.keys(px), ...Object.keys(py)])) {
      if (k === 'name' || (px[k] === undefined && isKerasDefault(k, py[k]))) continue;
      if (JSON.stringify(px[k]) !== JSON.stringify(py[k])) bump(`${k} ${show(px[k])} → ${show(py[k])}`);
    }
  }
  for (const [s, n] of counts) lines.push(`${s} ${count(n)}`);
  const matchedA = new Set(pairs.map((p) => p[0])),
    matchedB = new Set(pairs.map((p) => p[1]));
  const tally = (layers: KerasObject[], matched: Set<number>) => {
    const t = new Map<string, number>();
    layers.forEach((l, i) => {
      if (!matched.has(i)) t.set(l.class_name, (t.get(l.class_name) ?? 0) + 1);
    });
    return t;
  };
  for (const [c, n] of tally(b.layers, matchedB)) lines.push(`added ${n} ${c}`);
  for (const [c, n] of tally(a.layers, matchedA)) lines.push(`removed ${n} ${c}`);
  const oa = optimizerOf(a),
    ob = optimizerOf(b);
  if (oa.name !== ob.name) lines.push(`optimizer ${oa.name} → ${ob.name}`);
  for (const k of new Set([...Object.keys(oa.config), ...Object.keys(ob.config)]))
    if (JSON.stringify(oa.config[k]) !== JSON.stringify(ob.config[k]))
      lines.push(`${k} ${show(oa.config[k])} → ${show(ob.config[k])}`);
  const da = a.source.data as Entry,
    db = b.source.data as Entry;
  for (const k of new Set([...Object.keys(da), ...Object.keys(db)]))
    if (JSON.stringify(da[k]) !== JSON.stringify(db[k])) lines.push(`data ${k} ${show(da[k])} → ${show(db[k])}`);
  if (a.fit.batch_size !== b.fit.batch_size) lines.push(`batch_size ${a.fit.batch_size} → ${b.fit.batch_size}`);
  return lines;
}
