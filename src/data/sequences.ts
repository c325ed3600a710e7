/**
 * Generated sequence tasks for recurrent networks, each a pure function of its options (seeded, browser-safe).
 * Inputs are [numExamples, T, features] (featureShape [T, F]). Sequential Fashion-MNIST needs nothing here:
 * `loadFashionMnist` already gives [N, 28, 28], i.e. 28 rows read as 28 time steps of 28 pixels.
 */
import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { createRng } from './rng.js';

export interface AddingProblemOptions {
  /** Number of sequences. Default 1000. */
  n?: number;
  /** Sequence length T. Default 100. */
  length?: number;
  seed?: number;
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997, §5 exp. 4; in the form of Le et al. 2015): each step holds
 * [value ~ U(0, 1), marker]; exactly two markers are 1, one in each half of the sequence; the target (a regression
 * value in y) is the sum of the two marked values. Predicting 1 always gives MSE ≈ 0.167, the baseline to beat.
 * Draw order per example: T values, then the marker in the first half, then the one in the second.
 */
export function addingProblem(o: AddingProblemOptions = {}): Dataset {
  const n = count(o.n ?? 1000, 'n'),
    T = count(o.length ?? 100, 'length');
  if (T < 2) throw new DataError(`addingProblem: length must be at least 2, got ${T}`);
  const rng = createRng(o.seed ?? 0);
  const x = new Float32Array(n * T * 2),
    y = new Float32Array(n);
  const half = Math.floor(T / 2);
  for (let i = 0; i < n; i++) {
    const base = i * T * 2;
    for (let t = 0; t < T; t++) x[base + 2 * t] = rng();
    const a = rng.int(half),
      b = half + rng.int(T - half);
    x[base + 2 * a + 1] = 1;
    x[base + 2 * b + 1] = 1;
    y[i] = x[base + 2 * a]! + x[base + 2 * b]!;
  }
  return { x, y, numExamples: n, featureShape: [T, 2] };
}

export interface CopyMemoryOptions {
  /** Number of sequences. Default 1000. */
  n?: number;
  /** Steps between the end of the symbols and the recall cue (the delay). Default 50. */
  delay?: number;
  /** Number of symbols to remember. Default 10 (Arjovsky et al. 2016). */
  symbols?: number;
  /** Alphabet size (symbols are 1 … alphabet). Default 8. */
  alphabet?: number;
  seed?: number;
}

/**
 * The copy-memory task (Hochreiter & Schmidhuber 1997; Arjovsky et al. 2016's form), as classification of the one
 * symbol asked for: the sequence is `symbols` random symbols, `delay` blanks (0), then a cue (alphabet + 1) followed
 * by k blanks (k random in [0, symbols)); the label is the k-th symbol, so it must be kept for delay + symbols steps.
 * Steps are one-hot over alphabet + 2 channels (blank, symbols, cue). Chance accuracy is 1/alphabet.
 */
export function copyMemory(o: CopyMemoryOptions = {}): Dataset {
  const n = count(o.n ?? 1000, 'n'),
    delay = count(o.delay ?? 50, 'delay'),
    S = count(o.symbols ?? 10, 'symbols'),
    A = count(o.alphabet ?? 8, 'alphabet');
  const T = S + delay + S,
    C = A + 2;
  const rng = createRng(o.seed ?? 0);
  const x = new Float32Array(n * T * C),
    y = new Float32Array(n);
  const sym = new Int32Array(S);
  for (let i = 0; i < n; i++) {
    const base = i * T * C;
    for (let s = 0; s < S; s++) sym[s] = 1 + rng.int(A);
    const k = rng.int(S);
    for (let t = 0; t < T; t++) {
      let c = 0;
      if (t < S) c = sym[t]!;
      else if (t === S + delay + (S - 1 - k)) c = A + 1;
      x[base + t * C + c] = 1;
    }
    y[i] = sym[k]! - 1;
  }
  return { x, y, numExamples: n, featureShape: [T, C], numClasses: A };
}

function count(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw new DataError(`${name} must be a positive integer, got ${v}`);
  return v;
}
