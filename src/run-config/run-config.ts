/**
 * A run config: one JSON file describing data, model, compile and fit with
 * Keras's snake_case keys (see examples/fashion-bn-elu.json). Parsing checks
 * every key and value up front, so a typo fails before any data is loaded.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KerasObject } from '../nn/keras-config.js';
import type { FitArgs } from '../nn/model.js';
import { Sequential } from '../nn/model.js';
import * as optimizers from '../nn/optimizers/index.js';
import * as losses from '../nn/losses.js';
import { setSeed } from '../tensor/rng.js';
import { resetLayerNames } from '../nn/layers/layer.js';
import { asObject, checkKeys, optionalBoolean, optionalNumber } from './keys.js';
import { isKerasObject } from '../nn/keras-config.js';
import { formatValue } from '../util/args.js';
import { checkJsonDepth } from '../nn/serialization/validate.js';
import { expandModelSpec, buildSequential, constructLayers, planLayers, type ModelPlan } from './model-spec.js';
import { formatSummary } from '../nn/summary.js';
import { loadData, parseDataSpec, type DataSpec, type LoadedData } from './data-spec.js';

export interface CompileSpec {
  optimizer: string | KerasObject;
  loss: string;
  metrics: string[];
  from_logits?: boolean;
}
export interface FitSpec {
  epochs: number;
  batch_size: number;
  validation_split?: number;
  shuffle?: boolean;
}

export interface RunConfig {
  seed: number;
  data: DataSpec;
  /** The model's layers as Keras objects (repeat blocks expanded). */
  layers: KerasObject[];
  compile: CompileSpec;
  fit: FitSpec;
  /** Folder of the config file (relative data paths resolve from here). */
  baseDir: string;
  /** The raw document (for reports and repairs). */
  source: Record<string, unknown>;
}

const TOP_KEYS = ['seed', 'data', 'model', 'compile', 'fit', 'name', 'description'];
const COMPILE_KEYS = ['optimizer', 'loss', 'metrics', 'from_logits'];
const FIT_KEYS = ['epochs', 'batch_size', 'validation_split', 'shuffle', 'verbose'];

/** Parses and validates a run config from a file path or an object. */
export function parseRunConfig(source: string | Record<string, unknown>, baseDir?: string): RunConfig {
  let doc: Record<string, unknown>;
  let where = 'config';
  if (typeof source === 'string') {
    where = source;
    let text: string;
    try {
      text = readFileSync(source, 'utf8');
    } catch (e) {
      throw new Error(`Cannot read config ${source}: ${(e as Error).message}`);
    }
    // A UTF-8 byte order mark (written by some Windows editors) is not part of the JSON.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error(`${source} is not valid JSON: ${(e as Error).message}`);
    }
    checkJsonDepth(parsed, source);
    doc = asObject(parsed, source);
    baseDir ??= dirname(source);
  } else {
    checkJsonDepth(source, where);
    doc = source;
  }
  checkKeys(doc, TOP_KEYS, where);
  if (doc.data === undefined)
    throw new Error(`${where}: missing "data" (e.g. {"dataset": "fashion-mnist", "limit": 6000})`);
  if (doc.model === undefined) throw new Error(`${where}: missing "model" (a list of layers)`);
  const seed = optionalNumber(doc, 'seed', where, Number.isInteger, 'an integer') ?? 42;
  const data = parseDataSpec(doc.data, `${where} data`);
  const layers = expandModelSpec(doc.model, `${where} model`);

  const c = asObject(doc.compile ?? {}, `${where} compile`);
  checkKeys(c, COMPILE_KEYS, `${where} compile`);
  if (c.metrics !== undefined && (!Array.isArray(c.metrics) || c.metrics.some((m) => typeof m !== 'string')))
    throw new Error(
      `Invalid metrics in ${where} compile: expected a list of metric names such as ["accuracy"]; received ` +
        `${formatValue(c.metrics)}`,
    );
  if (c.loss !== undefined && typeof c.loss !== 'string' && !isKerasObject(c.loss))
    throw new Error(
      `Invalid loss in ${where} compile: expected a loss name or {class_name, config}; received ${formatValue(c.loss)}`,
    );
  const compile: CompileSpec = {
    optimizer: (c.optimizer ?? 'sgd') as string | KerasObject,
    loss: (c.loss ?? 'sparse_categorical_crossentropy') as string,
    metrics: (c.metrics ?? ['accuracy']) as string[],
    from_logits: optionalBoolean(c, 'from_logits', `${where} compile`),
  };
  // Resolve now so a bad optimizer or loss fails before any data is loaded.
  optimizers.get(compile.optimizer, `${where} compile.optimizer`);
  losses.get(compile.loss, false, `${where} compile.loss`);

  const f = asObject(doc.fit ?? {}, `${where} fit`);
  checkKeys(f, FIT_KEYS, `${where} fit`);
  const fit: FitSpec = {
    epochs:
      optionalNumber(f, 'epochs', `${where} fit`, (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer') ?? 1,
    batch_size:
      optionalNumber(f, 'batch_size', `${where} fit`, (v) => Number.isInteger(v) && v > 0, 'a positive integer') ?? 32,
    validation_split: optionalNumber(
      f,
      'validation_split',
      `${where} fit`,
      (v) => v >= 0 && v < 1,
      'a number in [0, 1)',
    ),
    shuffle: optionalBoolean(f, 'shuffle', `${where} fit`),
  };
  optionalNumber(f, 'verbose', `${where} fit`, (v) => v === 0 || v === 1 || v === 2, '0, 1 or 2');
  return { seed, data, layers, compile, fit, baseDir: baseDir ?? process.cwd(), source: doc };
}

/** Seeds, then builds and compiles the config's model for the given input shape. */
export function buildModel(config: RunConfig, inputShape: number[]): Sequential {
  setSeed(config.seed);
  resetLayerNames();
  const model = buildSequential(config.layers, inputShape, 'model');
  model.compile({
    optimizer: optimizers.get(config.compile.optimizer, 'compile.optimizer'),
    loss: config.compile.loss as losses.LossIdentifier,
    metrics: config.compile.metrics as 'accuracy'[],
    fromLogits: config.compile.from_logits,
  });
  return model;
}

/**
 * The model's table for the data's input shape without building it (what `keel summary` prints): the same
 * layers, checks and parameter budget as buildModel, no weight allocated.
 */
export function planModel(config: RunConfig, inputShape: number[]): { name: string; plan: ModelPlan; text: string } {
  setSeed(config.seed);
  resetLayerNames();
  const layers = constructLayers(config.layers, inputShape, 'model');
  const plan = planLayers(layers, inputShape, 'model');
  const name = new Sequential([]).name;
  return { name, plan, text: formatSummary(name, plan.rows, plan.trainable, plan.nonTrainable) };
}

/** Loads the config's data. */
export function loadRunData(config: RunConfig): LoadedData {
  return loadData(config.data, config.baseDir);
}

/** fit() arguments from the config (overridable). */
export function fitArgsOf(config: RunConfig, overrides: Partial<FitArgs> = {}): FitArgs {
  return {
    epochs: config.fit.epochs,
    batchSize: config.fit.batch_size,
    validationSplit: config.fit.validation_split,
    shuffle: config.fit.shuffle,
    ...overrides,
  };
}

/**
 * What can be checked before training, so that a run is never thrown away at its end: every label (training and
 * test) must be a target the model's output can give (a class id below the output units for
 * sparse_categorical_crossentropy, 0 or 1 for binary_crossentropy). Throws naming the example (its CSV line) and
 * the fix; returns warnings (a class present only in the test split).
 */
export function checkDataFitsModel(config: RunConfig, model: Sequential | ModelPlan, data: LoadedData): string[] {
  const lossName = (losses.get(config.compile.loss, false, 'compile.loss') as { lossName?: string }).lossName;
  const shape = model instanceof Sequential ? model.getOutputShape() : model.outputShape;
  const units = shape[shape.length - 1] ?? 1;
  const last = model instanceof Sequential ? model.layers[model.layers.length - 1] : model.lastLayer;
  const lastName = last !== undefined && last !== null ? `'${last.name}' (${last.className})` : 'the last layer';
  const check = (y: Float32Array, origin: (i: number) => string, split: string) => {
    const needed = y.reduce((m, u) => Math.max(m, u), 0) + 1;
    for (let i = 0; i < y.length; i++) {
      const v = y[i]!;
      if (lossName === 'sparse_categorical_crossentropy' && !(Number.isInteger(v) && v >= 0 && v < units))
        throw new Error(
          `${origin(i)} (${split} split): label ${v} is not a class id of the model's ${units} output units ` +
            `(the last layer ${lastName} has ${units}); give it at least ${needed} units for this ` +
            'data, or fix the label. Nothing was trained.',
        );
      if (lossName === 'binary_crossentropy' && !(v >= 0 && v <= 1))
        throw new Error(
          `${origin(i)} (${split} split): label ${v} is outside [0, 1], which binary_crossentropy needs. ` +
            'Nothing was trained.',
        );
    }
  };
  check(data.y.data, data.trainOrigin, 'training');
  check(data.yTest.data, data.testOrigin, 'test');
  const warnings: string[] = [];
  if (lossName === 'sparse_categorical_crossentropy' || lossName === 'binary_crossentropy') {
    const seen = new Set(data.y.data);
    const onlyTest = new Map<number, number>();
    data.yTest.data.forEach((v, i) => {
      if (!seen.has(v) && !onlyTest.has(v)) onlyTest.set(v, i);
    });
    for (const [label, i] of onlyTest)
      warnings.push(
        `Warning: class ${label} appears in the test split (first at ${data.testOrigin(i)}) but never in the ` +
          'training split: the model cannot learn it',
      );
  }
  return warnings;
}

function fnv1a(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

function hashOf(...parts: (string | Float32Array)[]): string {
  let h = 0x811c9dc5;
  for (const p of parts)
    h = fnv1a(
      typeof p === 'string' ? new TextEncoder().encode(p) : new Uint8Array(p.buffer, p.byteOffset, p.byteLength),
      h,
    );
  return h.toString(16).padStart(8, '0');
}

/**
 * What a run trains on, for its checkpoints: hashes of the training data (features and labels, in order), of the
 * model, compile and fit sections (fit without epochs, which a resume may extend) and the seed. `--resume`
 * refuses a checkpoint whose fingerprint differs, naming the parts.
 */
export function runFingerprint(config: RunConfig, data: LoadedData): Record<string, string> {
  const { epochs: _epochs, ...fit } = config.fit;
  return {
    data: `${data.x.shape.join('x')}:${hashOf(data.x.data, data.y.data)}`,
    model: hashOf(JSON.stringify(config.layers)),
    compile: hashOf(JSON.stringify(config.compile)),
    fit: hashOf(JSON.stringify(fit)),
    seed: String(config.seed),
  };
}

const FINGERPRINT_PARTS: Record<string, string> = {
  data: 'the training data',
  model: 'the model',
  compile: 'compile (optimizer, learning rate, loss, metrics)',
  fit: 'fit (batch_size, validation_split, shuffle)',
  seed: 'the seed',
};

/** The parts of two fingerprints that differ, described; empty when they match. */
export function fingerprintDifferences(saved: Record<string, string>, now: Record<string, string>): string[] {
  return Object.keys(now)
    .filter((k) => saved[k] !== now[k])
    .map((k) => (k === 'seed' ? `the seed (${saved[k] ?? 'none'} then, ${now[k]} now)` : (FINGERPRINT_PARTS[k] ?? k)));
}
