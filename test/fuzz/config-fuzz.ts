/**
 * The run-config fuzzer (issue 19): seeded mutations of a few base configs, each run in-process through what
 * `keel summary` and a tiny `keel train` do (parse → data → model → summary → one short fit). Case i is drawn
 * from Random(SEED + i), so any failure replays from its index:
 *
 *   node --import tsx test/fuzz/config-fuzz.ts <first> [count]
 *
 * Each case ends in a model or in an Error whose message names what is wrong. Failures: an engine error
 * (TypeError/RangeError/URIError, or their texts: "is not a function", "is not iterable", "Cannot read
 * properties", "Maximum call stack", "Invalid typed array length"), a case over 10 s or 1 GB, or a config that
 * was accepted although the mutation made it invalid (the oracle: an unknown key added to any object, a boolean
 * replaced by a non-boolean, a number or string replaced by a value of another JSON type, an object config
 * replaced by a non-object).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '../../src/index.js';
import { Tensor } from '../../src/tensor/tensor.js';
import {
  parseRunConfig,
  buildModel,
  loadRunData,
  fitArgsOf,
  checkDataFitsModel,
  planModel,
} from '../../src/run-config/index.js';

export const SEED = 190_000;

const BASES: Record<string, unknown>[] = [
  {
    seed: 3,
    data: { dataset: 'spirals', n: 120, noise: 0.2, seed: 1, standardize: true, test_fraction: 0.25 },
    model: [
      {
        repeat: 2,
        layers: [
          { type: 'Dense', units: 8, use_bias: false, kernel_initializer: 'he_normal' },
          { type: 'BatchNormalization', momentum: 0.9, center: true, scale: true },
          { type: 'Activation', activation: 'elu' },
        ],
      },
      { type: 'Dropout', rate: 0.1 },
      { type: 'Dense', units: 3, activation: 'softmax' },
    ],
    compile: {
      optimizer: { class_name: 'SGD', config: { learning_rate: 0.05, momentum: 0.9, nesterov: true, clipnorm: 1 } },
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
      from_logits: false,
    },
    fit: { epochs: 1, batch_size: 16, validation_split: 0.1, shuffle: true },
  },
  {
    seed: 5,
    data: { dataset: 'blobs', n: 90, seed: 2 },
    model: [
      {
        class_name: 'Dense',
        config: {
          units: 6,
          activation: 'selu',
          kernel_initializer: { class_name: 'LecunNormal', config: { seed: 1 } },
          kernel_regularizer: { class_name: 'L2', config: { l2: 0.001 } },
          kernel_constraint: { class_name: 'MaxNorm', config: { max_value: 3, axis: 0 } },
        },
      },
      { class_name: 'AlphaDropout', config: { rate: 0.05 } },
      { class_name: 'LeakyReLU', config: { negative_slope: 0.2 } },
      { class_name: 'Dense', config: { units: 3, activation: 'softmax' } },
    ],
    compile: {
      optimizer: {
        class_name: 'AdamW',
        config: {
          learning_rate: {
            class_name: 'CosineDecay',
            config: { initial_learning_rate: 0.001, decay_steps: 20, warmup_target: 0.01, warmup_steps: 4 },
          },
          weight_decay: 0.01,
          amsgrad: false,
        },
      },
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    },
    fit: { epochs: 1, batch_size: 32 },
  },
  {
    data: { csv: 'train.csv', label_column: 'label', test_csv: 'test.csv' },
    model: {
      class_name: 'Sequential',
      config: {
        name: 'seq',
        layers: [
          { class_name: 'InputLayer', config: { batch_shape: [null, 2], name: 'input' } },
          { class_name: 'Dense', config: { name: 'd1', units: 5, activation: 'tanh', use_bias: true } },
          { class_name: 'GaussianNoise', config: { stddev: 0.1 } },
          { class_name: 'PReLU', config: {} },
          { class_name: 'Dense', config: { name: 'd2', units: 2, activation: 'softmax' } },
        ],
      },
    },
    compile: { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
    fit: { epochs: 1, batch_size: 8, shuffle: false },
  },
];

/** JSON values a mutation may put anywhere (no valid dataset names: the fuzzer never downloads). */
const ODD: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e8,
  1e308,
  -1e308,
  2 ** 53,
  '',
  'no',
  'yes',
  'x',
  'true',
  '0',
  '__proto__',
  'constructor',
  [],
  [null],
  [1, 2],
  {},
  { a: 1 },
  { class_name: 'Nope', config: {} },
  { class_name: 1 },
];
const KEYS = ['confg', 'zz_extra', 'learning_rte', 'unit', 'toString', 'activaton', 'class_nam'];

export interface FuzzCase {
  index: number;
  config: Record<string, unknown>;
  /** Why the mutation made the config invalid (it must be refused), or null when it may be valid. */
  invalid: string | null;
  mutations: string[];
}

type Node = Record<string, unknown> | unknown[];

/** Every object/array node with its path. */
interface At {
  node: Node;
  path: string;
  keys: string[];
}
function nodes(root: unknown, keys: string[] = [], out: At[] = []): At[] {
  // (A deeply nested value, made by an earlier mutation, is one leaf: mutations stay near the config's shape.)
  if (typeof root !== 'object' || root === null || keys.length > 12) return out;
  out.push({ node: root as Node, path: ['$', ...keys].join('.'), keys });
  for (const [k, v] of Object.entries(root)) nodes(v, [...keys, k], out);
  return out;
}

/** Whether the value at `keys` is still `value` (a later mutation may have removed an invalid one). */
function stillThere(root: unknown, keys: string[], value: unknown): boolean {
  let node = root;
  for (const k of keys) {
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, k)) return false;
    node = (node as Record<string, unknown>)[k];
  }
  return node === value;
}

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Keys whose value Keel accepts in several JSON types (so a type change is not necessarily invalid). */
const POLYMORPHIC = new RegExp(
  '(^|_)(initializer|regularizer|constraint|activation|optimizer|learning_rate|loss|seed|noise_shape|shape|' +
    'dtype|name|metrics|model|layers|input_dim|save_freq|axis|value|trainable)$',
);

export function makeCase(index: number): FuzzCase {
  const rng = new Random(SEED + index);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.uniform() * xs.length)]!;
  const config = structuredClone(pick(BASES));
  const claims: { keys: string[]; value: unknown; why: string }[] = [];
  // Paths an earlier mutation set: their current type is not the base config's, so no claim is made on them.
  const touched = new Set<string>();
  const mutations: string[] = [];
  const count = 1 + Math.floor(rng.uniform() * 3);
  for (let m = 0; m < count; m++) {
    const all = nodes(config);
    const { node, path, keys: at } = pick(all);
    const keys = Object.keys(node);
    const op = rng.uniform();
    if (op < 0.15 && !Array.isArray(node)) {
      const key = pick(KEYS);
      if (key in node) continue;
      const added = structuredClone(pick(ODD));
      (node as Record<string, unknown>)[key] = added;
      mutations.push(`add ${path}.${key}`);
      if (!/dtype/.test(path))
        claims.push({ keys: [...at, key], value: added, why: `unknown key '${key}' at ${path}` });
      continue;
    }
    if (keys.length === 0) continue;
    const key = pick(keys);
    const old = (node as Record<string, unknown>)[key];
    if (op < 0.25) {
      if (Array.isArray(node)) node.splice(Number(key), 1);
      else delete (node as Record<string, unknown>)[key];
      mutations.push(`delete ${path}.${key}`);
      continue;
    }
    if (op < 0.3) {
      // Deep nesting: 3,000 arrays.
      let deep: unknown = old;
      for (let d = 0; d < 3000; d++) deep = [deep];
      (node as Record<string, unknown>)[key] = deep;
      mutations.push(`nest ${path}.${key}`);
      continue;
    }
    if (op < 0.4 && typeof old === 'number') {
      const v = pick([0, -old, old * 1e6, old + 0.5, 1e8, 2 ** 31]);
      (node as Record<string, unknown>)[key] = v;
      mutations.push(`number ${path}.${key}=${v}`);
      continue;
    }
    const v = structuredClone(pick(ODD));
    (node as Record<string, unknown>)[key] = v;
    mutations.push(`set ${path}.${key}=${JSON.stringify(v)}`);
    const was = typeOf(old),
      now = typeOf(v);
    if (Array.isArray(node) || was === now || POLYMORPHIC.test(key)) continue;
    const claim = (why: string) => {
      if (!touched.has([...at, key].join('\u0000'))) claims.push({ keys: [...at, key], value: v, why });
    };
    touched.add([...at, key].join('\u0000'));
    if (was === 'boolean') claim(`boolean ${path}.${key} replaced by ${JSON.stringify(v)}`);
    else if ((was === 'number' || was === 'string') && now !== 'null')
      claim(`${was} ${path}.${key} replaced by ${JSON.stringify(v)}`);
    else if (key === 'config' && was === 'object') claim(`config ${path}.${key} replaced by a ${now}`);
  }
  const invalid = claims.find((c) => stillThere(config, c.keys, c.value))?.why ?? null;
  return { index, config, invalid, mutations };
}

const ENGINE = new RegExp(
  'is not a function|is not iterable|Cannot read propert|Cannot convert|Maximum call stack|' +
    'Invalid typed array length|Invalid array length|\\[object Object\\]|undefined is not|of undefined|of null',
);

export type Outcome =
  { kind: 'trained' | 'refused'; message?: string; ms: number } | { kind: 'failure'; message: string; ms: number };

let csvDir: string | null = null;
/** The folder holding the CSV base config's files. */
export function fixtureDir(): string {
  if (csvDir !== null) return csvDir;
  csvDir = mkdtempSync(join(tmpdir(), 'keel-config-fuzz-'));
  const rows = (n: number, s: number) =>
    Array.from({ length: n }, (_, i) => {
      const a = Math.sin(i * 1.7 + s),
        b = Math.cos(i * 0.9 + s);
      return `${a.toFixed(3)},${b.toFixed(3)},${a > b ? 1 : 0}`;
    }).join('\n');
  writeFileSync(join(csvDir, 'train.csv'), `a,b,label\n${rows(60, 0)}\n`);
  writeFileSync(join(csvDir, 'test.csv'), `b,a,label\n${rows(20, 5)}\n`);
  return csvDir;
}

/** Runs one case the way `keel summary` and a tiny `keel train` would. */
export async function runCase(c: FuzzCase): Promise<Outcome> {
  const t0 = performance.now();
  const ms = () => performance.now() - t0;
  let trained = false;
  try {
    const config = parseRunConfig(c.config, fixtureDir());
    const data = loadRunData(config);
    // keel summary: the plan, nothing allocated; then keel train's build (same checks, same table).
    const planned = planModel(config, data.inputShape);
    checkDataFitsModel(config, planned.plan, data);
    const model = buildModel(config, data.inputShape);
    if (model.summary(null) !== planned.text) return { kind: 'failure', message: 'summary ≠ built model', ms: ms() };
    checkDataFitsModel(config, model, data);
    // A tiny train: the first 48 rows, one epoch (the config's batch size, split and shuffle).
    const rows = Math.min(48, data.x.shape[0]!);
    const f = data.inputShape[0]!;
    const x = new Tensor(data.x.data.slice(0, rows * f), [rows, f]);
    const y = new Tensor(data.y.data.slice(0, rows), [rows]);
    await model.fit(x, y, fitArgsOf(config, { epochs: 1, verbose: 0 }));
    trained = true;
  } catch (e) {
    const err = e as Error;
    const message = String(err?.message ?? err);
    const engine = !(err instanceof Error) || err.constructor !== Error ? `${err?.constructor?.name}: ` : '';
    if ((engine !== '' && err?.name !== 'DataError') || ENGINE.test(message))
      return { kind: 'failure', message: `engine error: ${engine}${message}`, ms: ms() };
    if (message.trim() === '') return { kind: 'failure', message: 'an Error with no message', ms: ms() };
    return { kind: 'refused', message, ms: ms() };
  }
  if (trained && c.invalid !== null) return { kind: 'failure', message: `accepted: ${c.invalid}`, ms: ms() };
  return { kind: 'trained', ms: ms() };
}

/** Runs cases [first, first + count): outcome counts, failures (with their index and mutations), peak memory. */
export async function runFuzz(
  first: number,
  count: number,
): Promise<{ counts: Record<string, number>; failures: string[]; peakBytes: number; summary: string }> {
  const counts: Record<string, number> = { trained: 0, refused: 0, failure: 0 };
  const failures: string[] = [];
  let peakBytes = 0,
    slowest = 0,
    slowestCase = -1;
  const t0 = performance.now();
  for (let i = first; i < first + count; i++) {
    const c = makeCase(i);
    const r = await runCase(c);
    counts[r.kind] = (counts[r.kind] ?? 0) + 1;
    if (r.ms > slowest) [slowest, slowestCase] = [r.ms, i];
    if (r.kind === 'failure') failures.push(`case ${i}: ${r.message.slice(0, 300)} <- ${c.mutations.join('; ')}`);
    if (i % 100 === 0) peakBytes = Math.max(peakBytes, process.memoryUsage().rss);
  }
  peakBytes = Math.max(peakBytes, process.memoryUsage().rss);
  const seconds = (performance.now() - t0) / 1000;
  const summary =
    `${count} configs (cases ${first}–${first + count - 1}) in ${seconds.toFixed(1)} s: ${counts.trained} trained, ` +
    `${counts.refused} refused with a message, ${counts.failure} failures; slowest case ${slowestCase} ` +
    `${slowest.toFixed(0)} ms; peak RSS ${(peakBytes / 2 ** 20).toFixed(0)} MiB`;
  return { counts, failures, peakBytes, summary };
}

if (process.argv[1]?.endsWith('config-fuzz.ts')) {
  const first = Number(process.argv[2] ?? 0),
    count = Number(process.argv[3] ?? 1);
  for (let i = first; i < first + count; i++) {
    const c = makeCase(i);
    const r = await runCase(c);
    console.log(`case ${i}: ${r.kind} (${r.ms.toFixed(0)} ms) ${c.mutations.join('; ')}\n  ${r.message ?? ''}`);
  }
}
