/**
 * Loss ops: gradients vs central differences on every path (from logits, fused
 * through a softmax/sigmoid output, and from plain probabilities), plus the
 * closed forms of easy cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryCrossentropy, categoricalCrossentropy, meanSquaredError } from './losses.js';
import { activation, softmax } from './activation.js';
import { ActivationCode } from '../kernels/backend.js';
import { Tensor, tensor } from '../tensor/tensor.js';
import { Variable } from '../autograd/variable.js';
import { Random } from '../tensor/rng.js';
import { gradcheck, randomVariable } from '../../test/helpers/gradcheck.js';

const ROWS = 5,
  CLASSES = 4;
const sparse = new Tensor(Float32Array.of(0, 3, 1, 1, 2), [ROWS]);
function softTargets(seed: number): Tensor {
  const rng = new Random(seed);
  const d = new Float32Array(ROWS * CLASSES);
  for (let r = 0; r < ROWS; r++) {
    let s = 0;
    for (let j = 0; j < CLASSES; j++) {
      d[r * CLASSES + j] = rng.uniform() + 0.05;
      s += d[r * CLASSES + j]!;
    }
    for (let j = 0; j < CLASSES; j++) d[r * CLASSES + j]! /= s;
  }
  return new Tensor(d, [ROWS, CLASSES]);
}
/** Probabilities well inside (1e-7, 1 − 1e-7), rows NOT normalized (the loss renormalizes). */
function probabilities(seed: number): Variable {
  const rng = new Random(seed);
  const d = new Float32Array(ROWS * CLASSES);
  for (let i = 0; i < d.length; i++) d[i] = 0.1 + 0.3 * rng.uniform();
  return new Variable(d, { shape: [ROWS, CLASSES], name: 'p' });
}

for (const isSparse of [true, false]) {
  const name = isSparse ? 'sparse_categorical_crossentropy' : 'categorical_crossentropy';
  const targets = isSparse ? sparse : softTargets(91);
  test(`${name} from logits: gradient = central differences`, () => {
    const z = randomVariable([ROWS, CLASSES], 92, { scale: 2, name: 'z' });
    gradcheck(() => categoricalCrossentropy(targets, z, isSparse, true), [z], { h: 1e-2 });
  });
  test(`${name} on a softmax output (fused through the logits): gradient = central differences`, () => {
    const z = randomVariable([ROWS, CLASSES], 93, { scale: 2, name: 'z' });
    gradcheck(() => categoricalCrossentropy(targets, softmax(z), isSparse, false), [z], { h: 1e-2 });
  });
  test(`${name} from probabilities: gradient = central differences`, () => {
    const p = probabilities(94);
    gradcheck(() => categoricalCrossentropy(targets, p, isSparse, false), [p], { h: 1e-3 });
  });
  test(`${name}: softmax path equals the logits path and matches −Σ t·log_softmax`, () => {
    const z = randomVariable([ROWS, CLASSES], 95, { name: 'z' });
    const viaLogits = categoricalCrossentropy(targets, z, isSparse, true).item();
    const viaSoftmax = categoricalCrossentropy(targets, softmax(z), isSparse, false).item();
    let expected = 0;
    for (let r = 0; r < ROWS; r++) {
      const row = Array.from(z.data.subarray(r * CLASSES, (r + 1) * CLASSES));
      const lse = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
      for (let j = 0; j < CLASSES; j++) {
        const t = isSparse ? (sparse.data[r] === j ? 1 : 0) : targets.data[r * CLASSES + j]!;
        expected += t * (lse - row[j]!);
      }
    }
    expected /= ROWS;
    assert.ok(Math.abs(viaLogits - expected) < 1e-5 * Math.abs(expected), `${viaLogits} vs ${expected}`);
    assert.ok(Math.abs(viaSoftmax - expected) < 1e-5 * Math.abs(expected), `${viaSoftmax} vs ${expected}`);
  });
}

test('sparse categorical cross-entropy: bad labels are errors', () => {
  const z = randomVariable([2, 3], 96);
  assert.throws(() => categoricalCrossentropy(tensor([0, 3]), z, true, true), /label 3 at row 1/);
  assert.throws(() => categoricalCrossentropy(tensor([0.5, 1]), z, true, true), /label 0.5/);
  assert.throws(() => categoricalCrossentropy(tensor([0, 1, 2]), z, true, true), /expected 2 integer labels/);
});

const binaryTargets = new Tensor(
  Float32Array.from({ length: ROWS * 3 }, (_v, i) => (i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : 0.25)),
  [ROWS, 3],
);
test('binary_crossentropy from logits: gradient = central differences', () => {
  const z = randomVariable([ROWS, 3], 97, { scale: 2, name: 'z' });
  gradcheck(() => binaryCrossentropy(binaryTargets, z, true), [z], { h: 1e-2 });
});
test('binary_crossentropy on a sigmoid output (fused): gradient = central differences', () => {
  const z = randomVariable([ROWS, 3], 98, { scale: 2, name: 'z' });
  gradcheck(() => binaryCrossentropy(binaryTargets, activation(z, ActivationCode.Sigmoid), false), [z], { h: 1e-2 });
});
test('binary_crossentropy from probabilities: gradient = central differences', () => {
  const rng = new Random(99);
  const p = new Variable(
    Float32Array.from({ length: ROWS * 3 }, () => 0.1 + 0.8 * rng.uniform()),
    { shape: [ROWS, 3], name: 'p' },
  );
  gradcheck(() => binaryCrossentropy(binaryTargets, p, false), [p], { h: 1e-3 });
});
test('binary_crossentropy closed form: p = 0.5 everywhere gives log 2', () => {
  const p = tensor([
    [0.5, 0.5],
    [0.5, 0.5],
  ]);
  assert.ok(
    Math.abs(
      binaryCrossentropy(
        tensor([
          [1, 0],
          [0, 1],
        ]),
        p,
        false,
      ).item() - Math.LN2,
    ) < 1e-6,
  );
  assert.ok(
    Math.abs(
      binaryCrossentropy(
        tensor([
          [1, 0],
          [0, 1],
        ]),
        tensor([
          [0, 0],
          [0, 0],
        ]),
        true,
      ).item() - Math.LN2,
    ) < 1e-6,
  );
});

test('mean_squared_error: gradient = central differences and the closed form', () => {
  const p = randomVariable([ROWS, 3], 100, { name: 'p' });
  const t = randomVariable([ROWS, 3], 101);
  gradcheck(() => meanSquaredError(t, p), [p], { h: 1e-2 });
  assert.equal(meanSquaredError(tensor([[1, 2]]), tensor([[2, 4]])).item(), 2.5);
});
