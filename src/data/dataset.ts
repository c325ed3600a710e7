import { DataError } from './errors.js';

/**
 * A data set as plain typed arrays, independent of the tensor engine.
 * `x` is row-major [numExamples, ...featureShape]; `y` holds one value per
 * example: an integer class id stored as a float, or a regression target.
 */
export interface Dataset {
  x: Float32Array;
  y: Float32Array;
  numExamples: number;
  featureShape: number[];
  /** Set for classification data: labels are integers in [0, numClasses). */
  numClasses?: number;
  classNames?: string[];
  /** The feature columns' names (CSV header order, the label removed). */
  featureNames?: string[];
  /** The file the examples come from, and each example's 1-based line in it (CSV), kept through splits and shuffles. */
  sourceFile?: string;
  sourceLines?: Int32Array;
}

/** Number of features per example (product of featureShape). */
export function featureSize(ds: Pick<Dataset, 'featureShape'>): number {
  let n = 1;
  for (const d of ds.featureShape) n *= d;
  return n;
}

/** Throws a DataError if the arrays do not agree with numExamples/featureShape. */
export function assertDataset(ds: Dataset): void {
  const f = featureSize(ds);
  if (ds.x.length !== ds.numExamples * f) {
    throw new DataError(`x has ${ds.x.length} values, expected numExamples × features = ${ds.numExamples} × ${f}`);
  }
  if (ds.y.length !== ds.numExamples) {
    throw new DataError(`y has ${ds.y.length} values, expected one per example (${ds.numExamples})`);
  }
}

/** Count of examples per class (requires numClasses). */
export function classCounts(ds: Dataset): number[] {
  if (ds.numClasses === undefined)
    throw new DataError('classCounts needs a classification data set (numClasses unset)');
  const counts = new Array<number>(ds.numClasses).fill(0);
  for (let i = 0; i < ds.numExamples; i++) {
    const label = ds.y[i];
    if (label === undefined || !Number.isInteger(label) || label < 0 || label >= ds.numClasses) {
      throw new DataError(`classCounts: label ${label} at index ${i} is not a class id in [0, ${ds.numClasses})`);
    }
    counts[label]!++;
  }
  return counts;
}

/** Copies the metadata fields (not the arrays) that derived data sets inherit. */
export function withMeta(ds: Dataset, x: Float32Array, y: Float32Array, numExamples: number): Dataset {
  const out: Dataset = { x, y, numExamples, featureShape: [...ds.featureShape] };
  if (ds.numClasses !== undefined) out.numClasses = ds.numClasses;
  if (ds.classNames !== undefined) out.classNames = [...ds.classNames];
  if (ds.featureNames !== undefined) out.featureNames = [...ds.featureNames];
  if (ds.sourceFile !== undefined) out.sourceFile = ds.sourceFile;
  return out;
}

/** Where example `i` of `ds` comes from: "file.csv line 9" when known, else "example i" (0-based). */
export function exampleOrigin(ds: Pick<Dataset, 'sourceFile' | 'sourceLines'>, i: number): string {
  const line = ds.sourceLines?.[i];
  return line !== undefined && ds.sourceFile !== undefined ? `${ds.sourceFile} line ${line}` : `example ${i}`;
}
