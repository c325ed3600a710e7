/**
 * The functional API: graphs with several inputs and outputs train (losses, metrics and loss weights per
 * output, as Keras), shared layers share weights, the summary shows what each layer is connected to,
 * checkpoints resume a functional model bit for bit, and malformed graphs are refused with clear errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Callback, Model, Sequential, Tensor, input, layers, setSeed, optimizers } from '../index.js';
import { ModelCheckpoint, loadCheckpoint } from './checkpoint/index.js';
import { Random } from '../tensor/rng.js';

/** Two inputs (a 6-feature vector, a 4-feature vector), two outputs (3 classes, one regression value). */
function twoHeaded() {
  const a = input({ shape: [6], name: 'a' });
  const b = input({ shape: [4], name: 'b' });
  const ha = new layers.Dense(8, { activation: 'relu', name: 'ha' }).apply(a);
  const hb = new layers.Dense(8, { activation: 'relu', name: 'hb' }).apply(b);
  const h = new layers.Concatenate({ name: 'joined' }).apply([ha, hb]);
  const trunk = new layers.Dense(8, { activation: 'tanh', name: 'trunk' }).apply(h);
  const cls = new layers.Dense(3, { activation: 'softmax', name: 'cls' }).apply(trunk);
  const reg = new layers.Dense(1, { name: 'reg' }).apply(new layers.Add({ name: 'skip' }).apply([trunk, ha]));
  return new Model({ inputs: [a, b], outputs: [cls, reg], name: 'two_headed' });
}

/** A learnable task: the class is the argmax of three features of a, the value a sum of b. */
function twoHeadedData(n: number, seed: number) {
  const rng = new Random(seed);
  const a = new Float32Array(n * 6).map(() => rng.normal());
  const b = new Float32Array(n * 4).map(() => rng.normal());
  const cls = new Float32Array(n);
  const reg = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = [a[i * 6]!, a[i * 6 + 1]!, a[i * 6 + 2]!];
    cls[i] = v.indexOf(Math.max(...v));
    reg[i] = b[i * 4]! + b[i * 4 + 1]! - b[i * 4 + 2]!;
  }
  return {
    x: { a: new Tensor(a, [n, 6]), b: new Tensor(b, [n, 4]) },
    y: { cls: new Tensor(cls, [n]), reg: new Tensor(reg, [n, 1]) },
  };
}

test('a two-input, two-output model trains: losses, metrics and loss weights per output, as Keras', async () => {
  setSeed(3);
  const model = twoHeaded();
  assert.deepEqual(model.inputNames, ['a', 'b']);
  assert.deepEqual(model.outputNames, ['cls', 'reg']);
  model.compile({
    optimizer: new optimizers.Adam({ learningRate: 0.01 }),
    loss: { cls: 'sparse_categorical_crossentropy', reg: 'mse' },
    metrics: { cls: ['accuracy'] }, // an output left out has no metrics
    lossWeights: { reg: 0.5 }, // ... and loss weight 1
  });
  const { x, y } = twoHeadedData(256, 1);
  const before = model.evaluate(x, y);
  assert.deepEqual(Object.keys(before), ['loss', 'cls_loss', 'reg_loss', 'cls_accuracy']);
  // The total is each output's loss times its weight.
  assert.ok(Math.abs(before.loss! - (before.cls_loss! + 0.5 * before.reg_loss!)) < 1e-5 * before.loss!);
  const history = await model.fit(x, y, { epochs: 12, batchSize: 32, verbose: 0, validationSplit: 0.25 });
  assert.deepEqual(Object.keys(history.history).sort(), [
    'cls_accuracy',
    'cls_loss',
    'loss',
    'reg_loss',
    'val_cls_accuracy',
    'val_cls_loss',
    'val_loss',
    'val_reg_loss',
  ]);
  const after = model.evaluate(x, y);
  assert.ok(after.cls_loss! < 0.6 * before.cls_loss!, `cls loss ${before.cls_loss} → ${after.cls_loss}`);
  assert.ok(after.reg_loss! < 0.3 * before.reg_loss!, `reg loss ${before.reg_loss} → ${after.reg_loss}`);
  assert.ok(after.cls_accuracy! > 0.8, `accuracy ${after.cls_accuracy}`);
  // Lists in the inputs' and outputs' order work as the objects by name do.
  const out = model.predict<Tensor[]>([x.a, x.b]);
  assert.deepEqual(
    out.map((t) => t.shape),
    [
      [256, 3],
      [256, 1],
    ],
  );
  assert.deepEqual(model.predict<Tensor[]>(x)[1]!.data, out[1]!.data);
  const listed = model.evaluate([x.a, x.b], [y.cls, y.reg]);
  assert.equal(listed.loss, after.loss);
});

test('one loss for all outputs, lists of losses and metrics, and wrong keys get clear errors', async () => {
  const model = twoHeaded();
  model.compile({ optimizer: 'sgd', loss: ['sparse_categorical_crossentropy', 'mse'], metrics: [['accuracy'], []] });
  assert.deepEqual(
    model.compiled!.metrics.map((m) => m.name),
    ['cls_loss', 'reg_loss', 'cls_accuracy'],
  );
  assert.throws(() => model.compile({ optimizer: 'sgd', loss: { cls: 'mse', regg: 'mse' } }), /'regg' is no output/);
  assert.throws(() => model.compile({ optimizer: 'sgd', loss: ['mse'] }), /has 2 outputs \(cls, reg\); received 1/);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const { x, y } = twoHeadedData(8, 2);
  await assert.rejects(model.fit({ a: x.a }, y), /has no entry for input 'b'/);
  assert.throws(() => model.evaluate([x.a], [y.cls, y.reg]), /has 2 inputs \(a, b\) but 1 tensors were given/);
  assert.throws(() => model.evaluate([x.b, x.a], [y.cls, y.reg]), /x 'a' of shape \[8, 4\] does not match/);
});

test('a shared layer applied twice is one set of weights; the summary shows what each layer is connected to', () => {
  const x = input({ shape: [5], name: 'x' });
  const shared = new layers.Dense(5, { activation: 'tanh', name: 'shared' });
  const y = new layers.Add({ name: 'add' }).apply([x, shared.apply(shared.apply(x))]);
  const model = new Model({ inputs: x, outputs: y, name: 'tied' });
  assert.equal(model.layers.length, 2);
  assert.equal(model.weights.length, 2);
  assert.equal(model.countParams(), 30);
  const text = model.summary(null);
  assert.match(text, /Connected to/);
  assert.match(text, /x \(InputLayer\)\s+\(None, 5\)\s+0\s+-/);
  assert.match(text, /shared \(Dense\)\s+\(None, 5\)\s+30\s+x\[0\]\[0\], shared\[0\]\[0\]/);
  assert.match(text, /add \(Add\)\s+\(None, 5\)\s+0\s+x\[0\]\[0\], shared\[1\]\[0\]/);
  // Sequential keeps its own table (no column), running on the same engine.
  const seq = new Sequential([new layers.Dense(2, { inputShape: [3] })]);
  assert.doesNotMatch(seq.summary(null), /Connected to/);
  assert.equal(seq.nodes.length, 1);
});

test('malformed graphs are refused, naming what is wrong', () => {
  const a = input({ shape: [3], name: 'in_a' });
  const b = input({ shape: [3], name: 'in_b' });
  const s = new layers.Add().apply([a, b]);
  assert.throws(() => new Model({ inputs: a, outputs: s }), /disconnected: layer 'add\w*' needs input 'in_b'/);
  assert.throws(() => new Model({ inputs: s, outputs: s }), /is the output of layer 'add\w*', not a model input/);
  assert.throws(() => new layers.Dense(2).apply([a, b]), /takes one input tensor; received a list of 2/);
  assert.throws(() => new layers.Add().apply(a), /takes a list of input tensors/);
  assert.throws(() => new layers.Add().apply([a, input({ shape: [4] })]), /inputs must have the same shape/);
  assert.throws(() => new layers.Subtract().apply([a, b, a]), /takes exactly 2 input tensors; received 3/);
  assert.throws(() => new layers.Concatenate({ axis: 0 }), /the batch axis \(0\) cannot be joined/);
  assert.throws(() => new Sequential([new layers.Add()]), /a Sequential model is a single chain/);
  assert.throws(() => input({ shape: [0] }), /Invalid shape for input/);
  assert.throws(() => new Model({ inputs: a, outputs: s, nmae: 'x' } as never), /unknown option 'nmae'/);
  const d = new layers.Dense(2, { name: 'dup' });
  const d2 = new layers.Dense(2, { name: 'dup' });
  assert.throws(() => new Model({ inputs: a, outputs: d2.apply(d.apply(a)) }), /two different layers are named 'dup'/);
});

/** Throws after global step `at`. */
class CrashAt extends Callback {
  private count = 0;
  constructor(private readonly at: number) {
    super();
  }
  override onBatchEnd(): void {
    if (++this.count === this.at) throw new Error('simulated crash');
  }
}

test('a functional model resumes from a checkpoint bit for bit (dropout state, optimizer slots)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keel-functional-ckpt-'));
  const make = () => {
    setSeed(11);
    const a = input({ shape: [6], name: 'a' });
    const b = input({ shape: [4], name: 'b' });
    const h = new layers.Concatenate().apply([a, b]);
    const d = new layers.Dropout(0.2, { seed: 4 }).apply(new layers.Dense(8, { activation: 'relu' }).apply(h));
    const r = new layers.Add().apply([d, new layers.Dense(8).apply(d)]);
    const cls = new layers.Dense(3, { activation: 'softmax', name: 'cls' }).apply(r);
    const reg = new layers.Dense(1, { name: 'reg' }).apply(r);
    const m = new Model({ inputs: [a, b], outputs: [cls, reg] });
    m.compile({
      optimizer: new optimizers.Adam(),
      loss: ['sparse_categorical_crossentropy', 'mse'],
      metrics: [['acc'], []],
    });
    return m;
  };
  try {
    const { x, y } = twoHeadedData(96, 5);
    const args = { epochs: 2, batchSize: 16, verbose: 0 as const };
    const straight = make();
    const h1 = await straight.fit(x, y, args);
    const crashed = make();
    await assert.rejects(
      crashed.fit(x, y, { ...args, callbacks: [new ModelCheckpoint({ filepath: dir, saveFreq: 3 }), new CrashAt(8)] }),
      /simulated crash/,
    );
    const resumed = make();
    const { resume } = await loadCheckpoint(dir, resumed);
    const h2 = await resumed.fit(x, y, { ...args, resumeFrom: resume });
    assert.deepEqual(
      resumed.getWeights().map((w) => Array.from(w.data)),
      straight.getWeights().map((w) => Array.from(w.data)),
    );
    assert.deepEqual(h2.history, h1.history);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
