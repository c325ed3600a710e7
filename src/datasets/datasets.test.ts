import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fashionMnist, mnist, standardize, splitDataset } from './index.js';
import { tensor } from '../tensor/tensor.js';
import { Sequential } from '../nn/model.js';
import { Dense } from '../nn/layers/dense.js';

const classesIn = (y: Float32Array) => new Set(Array.from(y)).size;

test('fashionMnist.loadData: tensors [n, 784] in [0, 1], shuffled (every class in the validation tail)', () => {
  const [[x, y], [xTest, yTest]] = fashionMnist.loadData({ limit: 1000, testLimit: 200 });
  assert.deepEqual(x.shape, [1000, 784]);
  assert.deepEqual(y.shape, [1000]);
  assert.deepEqual(xTest.shape, [200, 784]);
  assert.deepEqual(yTest.shape, [200]);
  assert.ok(x.data.every((v) => v >= 0 && v <= 1));
  // The last 10% (Keras's validationSplit tail) holds every class; the files are class by class.
  assert.equal(classesIn(y.data.subarray(900)), 10);
  assert.ok(classesIn(yTest.data.subarray(180)) >= 5, '20 shuffled test images span many classes');
  // The limit is stratified: 100 of each class.
  const counts = new Array<number>(10).fill(0);
  for (const v of y.data) counts[v]!++;
  assert.deepEqual(counts, new Array<number>(10).fill(100));
  assert.equal(fashionMnist.classNames[9], 'Ankle boot');
});

test('loadData is deterministic for a seed, differs across seeds; shuffle: false keeps file order', () => {
  const a = fashionMnist.loadData({ limit: 50, testLimit: 10 })[0][1].data;
  const b = fashionMnist.loadData({ limit: 50, testLimit: 10 })[0][1].data;
  const c = fashionMnist.loadData({ limit: 50, testLimit: 10, seed: 7 })[0][1].data;
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const sorted = fashionMnist.loadData({ limit: 50, testLimit: 10, shuffle: false })[0][1].data;
  assert.deepEqual(
    Array.from(sorted),
    [...Array.from(sorted)].sort((p, q) => p - q),
  );
});

test('loadData: shape carries [28, 28, 1] and [28, 28]; scale: false keeps 0..255', () => {
  const [[img]] = fashionMnist.loadData({ limit: 10, testLimit: 10, shape: [28, 28, 1] });
  assert.deepEqual(img.shape, [10, 28, 28, 1]);
  const [[seq], [seqTest]] = mnist.loadData({ limit: 10, testLimit: 5, shape: [28, 28], scale: false });
  assert.deepEqual(seq.shape, [10, 28, 28]);
  assert.deepEqual(seqTest.shape, [5, 28, 28]);
  assert.ok(Math.max(...seq.data) === 255);
});

test('loadData: a bad shape or a misspelt option is a clear error', () => {
  assert.throws(
    () => fashionMnist.loadData({ shape: [28, 27] }),
    /Invalid shape for datasets\.fashionMnist\.loadData: expected the shape of one example, of size 784; received/,
  );
  assert.throws(
    () => fashionMnist.loadData({ testlimit: 5 } as never),
    /datasets\.fashionMnist\.loadData: unknown option 'testlimit'\. Did you mean 'testLimit'\?/,
  );
  assert.throws(() => mnist.loadData({ limit: 0 }), /Invalid limit/);
});

test('standardize: fitted on the first tensor (closed form), applied to all; constant features map to 0', () => {
  const x = tensor([1, 5, 3, 5], [2, 2]); // feature 0: mean 2, std 1; feature 1: constant 5
  const t = tensor([4, 5], [1, 2]);
  const [xs, ts] = standardize(x, t);
  assert.deepEqual(Array.from(xs!.data), [-1, 0, 1, 0]);
  assert.deepEqual(Array.from(ts!.data), [2, 0]);
  assert.deepEqual(Array.from(x.data), [1, 5, 3, 5], 'inputs unchanged');
  assert.throws(() => standardize(x, tensor([1, 2, 3], [1, 3])), /3 features|2 features per example/);
});

test('splitDataset: sizes, rows kept together, shuffled with a seed', () => {
  const n = 20;
  const x = tensor(
    Array.from({ length: n * 2 }, (_v, i) => Math.floor(i / 2)),
    [n, 2],
  );
  const y = tensor(
    Array.from({ length: n }, (_v, i) => i),
    [n],
  );
  const [[xa, ya], [xb, yb]] = splitDataset(x, y, { rightSize: 0.25, seed: 3 });
  assert.deepEqual(xa.shape, [15, 2]);
  assert.deepEqual(xb.shape, [5, 2]);
  for (const [xs, ys] of [
    [xa, ya],
    [xb, yb],
  ] as const)
    for (let i = 0; i < ys.size; i++) assert.equal(xs.data[2 * i], ys.data[i]);
  assert.deepEqual(
    [...ya.data, ...yb.data].sort((p, q) => p - q),
    Array.from(y.data),
  );
  assert.notDeepEqual(Array.from(yb.data), [15, 16, 17, 18, 19]);
  const [[, yc]] = splitDataset(x, y, { rightSize: 5, shuffle: false });
  assert.deepEqual(
    Array.from(yc.data),
    Array.from({ length: 15 }, (_v, i) => i),
  );
  assert.throws(() => splitDataset(x, y, { rightSize: 20 }), /Invalid rightSize/);
});

test('fit warns when the validationSplit tail holds one class, and not when it holds several', async () => {
  const warnings: string[] = [];
  const listen = (w: Error) => warnings.push(w.message);
  process.on('warning', listen);
  try {
    const x = tensor(new Array<number>(40).fill(0.5), [20, 2]);
    const sorted = tensor(
      Array.from({ length: 20 }, (_v, i) => (i < 10 ? 0 : 1)),
      [20],
    );
    const model = new Sequential([new Dense(2, { activation: 'softmax', inputShape: [2] })], { name: 'm' });
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await model.fit(x, sorted, { epochs: 1, validationSplit: 0.2, verbose: 0 });
    const mixed = tensor(
      Array.from({ length: 20 }, (_v, i) => i % 2),
      [20],
    );
    await model.fit(x, mixed, { epochs: 1, validationSplit: 0.2, verbose: 0 });
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(
      warnings[0]!,
      /Sequential 'm'\.fit: the validation set \(the last 0\.2 of the samples.*holds only class 1/,
    );
    assert.match(warnings[0]!, /help: shuffle the data first/);
  } finally {
    process.off('warning', listen);
  }
});
