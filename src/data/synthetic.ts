import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import type { Rng } from './rng.js';
import { createRng } from './rng.js';
import { rowRange } from './split.js';

/**
 * Generated data sets for tests and the browser lab. Each is a pure function
 * of its options: the same seed gives bit-identical arrays everywhere (see
 * rng.ts: xoshiro128** + Box-Muller). In the 2-D toy sets, example i has class
 * i mod K, so classes are interleaved and any prefix or suffix is balanced.
 */

export interface SpiralsOptions {
  /** Total number of points. Default 300. */
  n?: number;
  /** Number of arms (classes). Default 3. */
  classes?: number;
  /** Std of the Gaussian noise on the angle, in radians. Default 0.2. */
  noise?: number;
  seed?: number;
}

/** CS231n-style spirals: arm k has radius r ∈ [0, 1] and angle 4k + 4r + noise. */
export function spirals(o: SpiralsOptions = {}): Dataset {
  const n = count(o.n ?? 300, 'n');
  const K = count(o.classes ?? 3, 'classes');
  const noise = o.noise ?? 0.2;
  const rng = createRng(o.seed ?? 0);
  const perClass = Math.ceil(n / K);
  return build(n, 2, K, (i, x) => {
    const k = i % K;
    const r = perClass > 1 ? Math.floor(i / K) / (perClass - 1) : 0;
    const t = 4 * k + 4 * r + noise * rng.normal();
    x[0] = r * Math.sin(t);
    x[1] = r * Math.cos(t);
    return k;
  });
}

export interface CirclesOptions {
  n?: number;
  /** Std of Gaussian noise added to each coordinate. Default 0.1. */
  noise?: number;
  /** Inner radius relative to the outer one, in (0, 1). Default 0.5. */
  factor?: number;
  seed?: number;
}

/** sklearn make_circles: class 0 on the unit circle, class 1 on radius `factor`. */
export function circles(o: CirclesOptions = {}): Dataset {
  const n = count(o.n ?? 300, 'n');
  const noise = o.noise ?? 0.1;
  const factor = o.factor ?? 0.5;
  if (!(factor > 0 && factor < 1)) throw new DataError(`circles: factor must be in (0, 1), got ${factor}`);
  const rng = createRng(o.seed ?? 0);
  return build(n, 2, 2, (i, x) => {
    const k = i % 2;
    const radius = k === 0 ? 1 : factor;
    const t = 2 * Math.PI * rng();
    x[0] = radius * Math.cos(t) + noise * rng.normal();
    x[1] = radius * Math.sin(t) + noise * rng.normal();
    return k;
  });
}

export interface BlobsOptions {
  n?: number;
  /** Number of clusters (one per class). Default 3. */
  centers?: number;
  /** Feature dimension. Default 2. */
  dim?: number;
  /** Std of each cluster. Default 1. */
  clusterStd?: number;
  /** Centers are drawn uniformly in [-box, box]^dim. Default 10. */
  box?: number;
  seed?: number;
}

/** sklearn make_blobs: isotropic Gaussian clusters around uniform random centers. */
export function gaussianBlobs(o: BlobsOptions = {}): Dataset {
  const n = count(o.n ?? 300, 'n');
  const K = count(o.centers ?? 3, 'centers');
  const dim = count(o.dim ?? 2, 'dim');
  const sd = o.clusterStd ?? 1;
  const box = o.box ?? 10;
  const rng = createRng(o.seed ?? 0);
  const centers = new Float64Array(K * dim);
  for (let j = 0; j < centers.length; j++) centers[j] = box * (2 * rng() - 1);
  return build(n, dim, K, (i, x) => {
    const k = i % K;
    for (let d = 0; d < dim; d++) x[d] = centers[k * dim + d]! + sd * rng.normal();
    return k;
  });
}

export interface TeacherOptions {
  seed?: number;
  numExamples?: number;
  numTrain?: number;
  inputDim?: number;
  hidden?: number;
  classes?: number;
}

export interface TeacherTask {
  train: Dataset;
  validation: Dataset;
  /** The teacher's weights, row-major: w1 [inputDim, hidden], w2 [hidden, classes]. */
  teacher: { w1: Float32Array; w2: Float32Array };
}

/**
 * The "teacher task": X ∈ R^{4000×32} i.i.d. N(0, 1), a fixed random teacher
 * W1 ∈ R^{32×64}, W2 ∈ R^{64×4} with N(0, 1) entries, and
 * label = argmax(tanh(X·W1/√32)·W2) → 4 classes. Rows [0, 3000) are train,
 * the rest validation. Draw order from createRng(seed).normal(): W1, then W2,
 * then X, each row-major (this order is part of the definition).
 */
export function teacherTask(o: TeacherOptions = {}): TeacherTask {
  const N = count(o.numExamples ?? 4000, 'numExamples');
  const nTrain = count(o.numTrain ?? 3000, 'numTrain');
  const D = count(o.inputDim ?? 32, 'inputDim');
  const H = count(o.hidden ?? 64, 'hidden');
  const K = count(o.classes ?? 4, 'classes');
  if (nTrain >= N) throw new DataError(`teacherTask: numTrain (${nTrain}) must be below numExamples (${N})`);
  const rng = createRng(o.seed ?? 0);
  const w1 = normals(rng, D * H);
  const w2 = normals(rng, H * K);
  const x = normals(rng, N * D);
  const y = new Float32Array(N);
  const h = new Float64Array(H);
  const invSqrtD = 1 / Math.sqrt(D);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < H; j++) {
      let s = 0;
      for (let d = 0; d < D; d++) s += x[i * D + d]! * w1[d * H + j]!;
      h[j] = Math.tanh(s * invSqrtD);
    }
    let best = 0;
    let bestV = -Infinity;
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < H; j++) s += h[j]! * w2[j * K + k]!;
      if (s > bestV) {
        bestV = s;
        best = k;
      }
    }
    y[i] = best;
  }
  const all: Dataset = { x, y, numExamples: N, featureShape: [D], numClasses: K };
  return { train: rowRange(all, 0, nTrain), validation: rowRange(all, nTrain, N), teacher: { w1, w2 } };
}

function normals(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

/** Fills n rows of `dim` features with `gen`, which writes x and returns the label. */
function build(n: number, dim: number, K: number, gen: (i: number, x: Float64Array) => number): Dataset {
  const x = new Float32Array(n * dim);
  const y = new Float32Array(n);
  const row = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    y[i] = gen(i, row);
    x.set(row, i * dim);
  }
  return { x, y, numExamples: n, featureShape: [dim], numClasses: K };
}

function count(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw new DataError(`${name} must be a positive integer, got ${v}`);
  return v;
}
