/**
 * The lab's data sets, built in the worker: 2-D toy sets and the adding problem generated on the spot,
 * Fashion-MNIST from the bundled subset.
 */
import type { Dataset } from '../../src/data/dataset.js';
import { spirals, circles, gaussianBlobs } from '../../src/data/synthetic.js';
import { addingProblem } from '../../src/data/sequences.js';
import { randomSplit } from '../../src/data/split.js';
import { shuffleIndices, takeRows } from '../../src/data/batching.js';
import { createRng } from '../../src/data/rng.js';
import { applyStandardizer, fitStandardizer } from '../../src/data/standardize.js';
import { FASHION_ASSET, FASHION_MAGIC } from './protocol.js';
import { isSequence, type LabSettings } from './settings.js';

export interface LabData {
  name: string;
  train: Dataset;
  test: Dataset;
  /** Classes; 0 for the regression tasks (the adding problem). */
  classes: number;
  /** One example's shape: [features], or [T, features] for a sequence. */
  featureShape: number[];
}

async function fashion(): Promise<{ train: Dataset; test: Dataset }> {
  const res = await fetch(new URL(`./${FASHION_ASSET}`, self.location.href));
  if (!res.ok) throw new Error(`Fashion-MNIST subset not found (${res.status}); rebuild the lab with npm run build`);
  const buf = new Uint8Array(await res.arrayBuffer());
  const head = new DataView(buf.buffer, buf.byteOffset, 16);
  if (head.getUint32(0, true) !== FASHION_MAGIC) throw new Error('Fashion-MNIST subset: bad file header');
  const nTrain = head.getUint32(4, true),
    nTest = head.getUint32(8, true),
    pixels = head.getUint32(12, true);
  let at = 16;
  const take = (n: number): Dataset => {
    const y = Float32Array.from(buf.subarray(at, at + n));
    at += n;
    return { x: new Float32Array(0), y, numExamples: n, featureShape: [pixels], numClasses: 10 };
  };
  const train = take(nTrain),
    test = take(nTest);
  for (const ds of [train, test]) {
    const x = new Float32Array(ds.numExamples * pixels);
    for (let i = 0; i < x.length; i++) x[i] = buf[at + i]! / 255;
    at += x.length;
    ds.x = x;
  }
  return { train, test };
}

export async function loadLabData(s: LabSettings): Promise<LabData> {
  let train: Dataset, test: Dataset, classes: number;
  if (isSequence(s.dataset)) {
    // 640 training and 160 test sequences; the target is a number (mean-squared error, no classes).
    const all = addingProblem({ n: 800, length: s.seqLength, seed: s.seed });
    ({ train, test } = randomSplit(all, 0.2, createRng(s.seed + 2)));
    const name = `the adding problem (T = ${s.seqLength})`;
    return { name, train, test, classes: 0, featureShape: [s.seqLength, 2] };
  }
  if (s.dataset === 'fashion') {
    ({ train, test } = await fashion());
    classes = 10;
  } else {
    const make = s.dataset === 'spirals' ? spirals : s.dataset === 'circles' ? circles : gaussianBlobs;
    const all = make({ n: 600, seed: s.seed });
    ({ train, test } = randomSplit(all, 0.2, createRng(s.seed + 2)));
    classes = all.numClasses ?? 2;
  }
  train = takeRows(train, shuffleIndices(train.numExamples, createRng(s.seed + 1)));
  if (s.standardize) {
    const st = fitStandardizer(train);
    train = applyStandardizer(train, st);
    test = applyStandardizer(test, st);
  }
  const name = s.dataset === 'fashion' ? 'Fashion-MNIST subset' : s.dataset;
  return { name, train, test, classes, featureShape: [train.x.length / Math.max(1, train.numExamples)] };
}
