/**
 * The `data` entry of a run config → train and test tensors.
 *   {"dataset": "fashion-mnist" | "mnist", "limit": n, "test_limit": n, "standardize": bool}
 *   {"csv": "train.csv", "test_csv": "test.csv", "label_column": "label", "test_fraction": 0.2}
 *   {"dataset": "spirals" | "circles" | "blobs" | "teacher", "n": n, "seed": s}
 *   {"dataset": "adding" | "copy-memory", "n": n, "length": T (adding) / "delay": d (copy-memory), "seed": s}
 * Images are flattened to vectors unless "shape": "image" ([N, 28, 28, 1], channels-last, for Conv2D); pixels
 * scaled to [0, 1]. Sequence sets keep their [T, features] shape. Standardization is
 * fitted on the training set and applied to the test set.
 */
import { Tensor } from '../tensor/tensor.js';
import {
  applyStandardizer,
  circles,
  createRng,
  randomSplit,
  validationSplit,
  rowRange,
  fitStandardizer,
  shuffleIndices,
  takeRows,
  gaussianBlobs,
  loadCsv,
  loadFashionMnist,
  loadMnist,
  spirals,
  teacherTask,
  addingProblem,
  copyMemory,
  type Dataset,
} from '../data/index.js';
import { asObject, checkKeys, optionalBoolean, optionalNumber, optionalString } from './keys.js';

/** Largest generated data set (examples). */
const MAX_GENERATED = 10_000_000;
import { resolve } from 'node:path';
import { formatValue } from '../util/args.js';
import { statSync } from 'node:fs';
import { DataError } from '../data/errors.js';
import { exampleOrigin } from '../data/dataset.js';

export interface DataSpec {
  dataset?: 'fashion-mnist' | 'mnist' | 'spirals' | 'circles' | 'blobs' | 'teacher' | 'adding' | 'copy-memory';
  csv?: string;
  test_csv?: string;
  label_column?: string;
  test_fraction?: number;
  limit?: number;
  test_limit?: number;
  standardize?: boolean;
  n?: number;
  noise?: number;
  seed?: number;
  /** 'flat' (default): one vector per example; 'image': [height, width, channels] for image data sets. */
  shape?: 'flat' | 'image';
  /** Sequence length of the adding problem. */
  length?: number;
  /** Delay of the copy-memory task. */
  delay?: number;
  /** CSV data: 'classification' (integer class ids, the default) or 'regression' (real-valued targets). */
  task?: 'classification' | 'regression';
  /** Regression: scale the targets to mean 0, variance 1 (fitted on the training set). */
  standardize_targets?: boolean;
}

export interface LoadedData {
  name: string;
  x: Tensor;
  y: Tensor;
  xTest: Tensor;
  yTest: Tensor;
  inputShape: number[];
  numClasses: number;
  classNames: string[] | null;
  standardized: boolean;
  /** Where training / test example i comes from ("file.csv line 9", or "example i" for built-in sets). */
  trainOrigin: (i: number) => string;
  testOrigin: (i: number) => string;
}

/** Largest CSV file read (its text and fields must fit in memory several times over). */
export const MAX_CSV_BYTES = 128 * 1024 * 1024;

function readCsv(path: string, options: Parameters<typeof loadCsv>[1]): Dataset {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new DataError(`cannot read CSV file: ${(e as Error).message}`, { file: path });
  }
  if (size > MAX_CSV_BYTES)
    throw new DataError(
      `the file is ${(size / 2 ** 20).toFixed(0)} MiB; Keel reads CSV files up to ${MAX_CSV_BYTES / 2 ** 20} MiB ` +
        '(split it, or sample rows from it)',
      { file: path },
    );
  return loadCsv(path, options);
}

const KEYS = [
  'dataset',
  'csv',
  'test_csv',
  'label_column',
  'test_fraction',
  'limit',
  'test_limit',
  'standardize',
  'n',
  'noise',
  'seed',
  'shape',
  'length',
  'delay',
  'task',
  'standardize_targets',
];
const DATASETS = ['fashion-mnist', 'mnist', 'spirals', 'circles', 'blobs', 'teacher', 'adding', 'copy-memory'];
const SEQUENCES = ['adding', 'copy-memory'];

export function parseDataSpec(value: unknown, where = 'data'): DataSpec {
  const d = asObject(value, where);
  checkKeys(d, KEYS, where);
  if (d.dataset === undefined && d.csv === undefined)
    throw new Error(`${where}: give either "dataset" (${DATASETS.join(', ')}) or "csv"`);
  if (d.dataset !== undefined && !DATASETS.includes(d.dataset as string)) {
    throw new Error(
      `Invalid dataset in ${where}: expected one of ${DATASETS.join(', ')}; received ${formatValue(d.dataset)}`,
    );
  }
  if (d.csv !== undefined && (typeof d.csv !== 'string' || typeof d.label_column !== 'string'))
    throw new Error(`${where}: "csv" needs a file path and "label_column" the name of the label column`);
  if (d.dataset !== undefined && d.csv !== undefined)
    throw new Error(`${where}: give either "dataset" or "csv", not both`);
  optionalString(d, 'test_csv', where);
  optionalString(d, 'label_column', where);
  for (const key of ['test_csv', 'label_column'])
    if (d[key] !== undefined && d.csv === undefined) throw new Error(`${where}: "${key}" applies to "csv" data only`);
  const positiveInt = (v: number) => Number.isInteger(v) && v > 0;
  optionalNumber(d, 'limit', where, positiveInt, 'a positive integer');
  optionalNumber(d, 'test_limit', where, positiveInt, 'a positive integer');
  optionalNumber(
    d,
    'n',
    where,
    (v) => positiveInt(v) && v <= MAX_GENERATED,
    `a positive integer up to ${MAX_GENERATED}`,
  );
  optionalNumber(d, 'length', where, (v) => positiveInt(v) && v >= 2 && v <= MAX_GENERATED, 'an integer ≥ 2');
  optionalNumber(d, 'delay', where, (v) => positiveInt(v) && v <= MAX_GENERATED, 'a positive integer');
  optionalNumber(d, 'noise', where, (v) => v >= 0 && v <= 1e6, 'a number in [0, 1e6]');
  optionalNumber(d, 'seed', where, Number.isSafeInteger, 'an integer');
  optionalNumber(d, 'test_fraction', where, (v) => v > 0 && v < 1, 'a number in (0, 1)');
  if (d.shape !== undefined && d.shape !== 'flat' && d.shape !== 'image')
    throw new Error(`Invalid shape in ${where}: expected "flat" or "image"; received ${JSON.stringify(d.shape)}`);
  if (d.shape === 'image' && d.dataset !== 'fashion-mnist' && d.dataset !== 'mnist')
    throw new Error(`${where}: "shape": "image" needs an image data set ("fashion-mnist" or "mnist")`);
  optionalBoolean(d, 'standardize', where);
  optionalBoolean(d, 'standardize_targets', where);
  if (d.task !== undefined && d.task !== 'classification' && d.task !== 'regression')
    throw new Error(
      `Invalid task in ${where}: expected "classification" or "regression"; received ${JSON.stringify(d.task)}`,
    );
  if (d.task !== undefined && d.csv === undefined) throw new Error(`${where}: "task" applies to "csv" data only`);
  return d as DataSpec;
}

/** One example's shape: a vector, or for 'image' [height, width, channels] (grey images get one channel). */
function exampleShape(ds: Dataset, shape: DataSpec['shape']): number[] {
  if (shape !== 'image') return [ds.x.length / ds.numExamples];
  return ds.featureShape.length === 2 ? [...ds.featureShape, 1] : [...ds.featureShape];
}

/** Tensors of a data set: sequence sets keep their [T, features] shape; images follow `shape`. */
function toTensors(ds: Dataset, shape: DataSpec['shape'], keepShape: boolean): { x: Tensor; y: Tensor } {
  const example = keepShape ? [...ds.featureShape] : exampleShape(ds, shape);
  return { x: new Tensor(ds.x, [ds.numExamples, ...example]), y: new Tensor(ds.y, [ds.numExamples]) };
}

/** Loads the data a spec describes; `baseDir` resolves relative CSV paths (the config file's folder). */
export function loadData(spec: DataSpec, baseDir = process.cwd()): LoadedData {
  let train: Dataset, test: Dataset, name: string;
  if (spec.csv !== undefined) {
    name = spec.csv;
    const task = spec.task ?? 'classification';
    const all = readCsv(resolve(baseDir, spec.csv), { labelColumn: spec.label_column!, task });
    if (spec.test_csv !== undefined) {
      train = all;
      // Columns by header: a test file with its columns in another order is read in the training file's order.
      test = readCsv(resolve(baseDir, spec.test_csv), {
        labelColumn: spec.label_column!,
        featureColumns: all.featureNames,
        task,
      });
    } else ({ train, validation: test } = validationSplit(all, spec.test_fraction ?? 0.2));
  } else if (spec.dataset === 'fashion-mnist' || spec.dataset === 'mnist') {
    name = spec.dataset;
    const load = spec.dataset === 'mnist' ? loadMnist : loadFashionMnist;
    train = load({ split: 'train', limit: spec.limit });
    test = load({ split: 'test', limit: spec.test_limit });
  } else {
    name = spec.dataset!;
    const seed = spec.seed ?? 0;
    if (spec.dataset === 'teacher') ({ train, validation: test } = teacherTask({ seed }));
    else if (spec.dataset === 'adding' || spec.dataset === 'copy-memory') {
      const n = spec.n ?? 1000;
      const make = (k: number, s: number) =>
        spec.dataset === 'adding'
          ? addingProblem({ n: k, length: spec.length, seed: s })
          : copyMemory({ n: k, delay: spec.delay, seed: s });
      train = make(n, seed);
      test = make(Math.max(1, Math.round(n * (spec.test_fraction ?? 0.2))), seed + 1000);
    } else {
      const make = spec.dataset === 'spirals' ? spirals : spec.dataset === 'circles' ? circles : gaussianBlobs;
      ({ train, test } = randomSplit(
        make({ n: spec.n ?? 1000, noise: spec.noise, seed }),
        spec.test_fraction ?? 0.2,
        createRng(seed + 2),
      ));
    }
  }
  // Loaders return examples class by class; mix them once (seeded) so a
  // validation split (the last examples, as in Keras) holds every class.
  train = takeRows(train, shuffleIndices(train.numExamples, createRng((spec.seed ?? 0) + 1)));
  // limit / test_limit for every source (the image loaders already applied them).
  if (spec.limit !== undefined && train.numExamples > spec.limit) train = rowRange(train, 0, spec.limit);
  if (spec.test_limit !== undefined && test.numExamples > spec.test_limit) test = rowRange(test, 0, spec.test_limit);
  if (spec.standardize === true) {
    const s = fitStandardizer(train);
    train = applyStandardizer(train, s);
    test = applyStandardizer(test, s);
  }
  if (spec.standardize_targets === true) ({ train, test } = standardizeTargets(train, test));
  const keepShape = SEQUENCES.includes(spec.dataset ?? '');
  const t = toTensors(train, spec.shape, keepShape),
    v = toTensors(test, spec.shape, keepShape);
  return {
    name,
    x: t.x,
    y: t.y,
    xTest: v.x,
    yTest: v.y,
    inputShape: t.x.shape.slice(1),
    numClasses:
      train.numClasses ??
      (spec.dataset === 'adding' || spec.task === 'regression' ? 1 : Math.max(...Array.from(train.y)) + 1),
    classNames: train.classNames ?? null,
    standardized: spec.standardize === true,
    trainOrigin: (i) => exampleOrigin(train, i),
    testOrigin: (i) => exampleOrigin(test, i),
  };
}

/** Targets scaled to mean 0, variance 1 with the training set's mean and standard deviation. */
function standardizeTargets(train: Dataset, test: Dataset): { train: Dataset; test: Dataset } {
  const n = train.y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += train.y[i]! / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (train.y[i]! - mean) ** 2 / n;
  const std = Math.sqrt(v) || 1;
  const scale = (ds: Dataset): Dataset => ({ ...ds, y: ds.y.map((t) => (t - mean) / std) });
  return { train: scale(train), test: scale(test) };
}
