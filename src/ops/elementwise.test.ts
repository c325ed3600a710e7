/** Element-wise ops: values, NumPy broadcasting, and gradients vs central differences. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ew from './elementwise.js';
import { tensor } from '../tensor/tensor.js';
import { gradcheck, project, randomVariable } from '../../test/helpers/gradcheck.js';

const BINARY = {
  add: ew.add,
  sub: ew.sub,
  mul: ew.mul,
  div: ew.div,
  maximum: ew.maximum,
  minimum: ew.minimum,
  pow: ew.pow,
};
const SHAPES: [number[], number[]][] = [
  [
    [3, 4],
    [3, 4],
  ],
  [[3, 4], [4]],
  [
    [3, 1],
    [1, 4],
  ],
  [
    [2, 1, 4],
    [3, 1],
  ],
  [[4], [2, 3, 4]],
  [[], [3, 2]],
];

for (const [name, op] of Object.entries(BINARY)) {
  for (const [sa, sb] of SHAPES) {
    test(`${name} [${sa}] ⊕ [${sb}]: gradients of both inputs = central differences`, () => {
      // Positive bases for pow and a denominator away from 0 for div.
      const positive = name === 'pow' || name === 'div';
      const a = randomVariable(sa, 81, { scale: positive ? 0.3 : 1, offset: positive ? 1.5 : 0, name: 'a' });
      const b = randomVariable(sb, 82, { scale: positive ? 0.3 : 1, offset: positive ? 1.2 : 0, name: 'b' });
      gradcheck(() => project(op(a, b)), [a, b], { h: 1e-3, rtol: 1e-2, atol: 2e-3 });
    });
  }
}

test('broadcast values follow NumPy rules and mismatches name both shapes', () => {
  assert.deepEqual(ew.add(tensor([[1], [2]]), tensor([10, 20, 30])).toArray(), [
    [11, 21, 31],
    [12, 22, 32],
  ]);
  assert.deepEqual(ew.sub(5, tensor([1, 2])).toArray(), [4, 3]);
  assert.deepEqual(ew.div(tensor([1, 2]), 4).toArray(), [0.25, 0.5]);
  assert.deepEqual(ew.pow(tensor([2, 3]), 2).toArray(), [4, 9]);
  assert.deepEqual(ew.maximum(tensor([1, 5]), tensor([3, 2])).toArray(), [3, 5]);
  assert.throws(() => ew.add(tensor([1, 2, 3]), tensor([1, 2])), /\[3\] and \[2\] cannot be broadcast/);
});

test('a variable used twice accumulates both gradients (x·x → 2x)', () => {
  const x = randomVariable([5], 83, { name: 'x' });
  gradcheck(() => project(ew.mul(x, x)), [x], { h: 1e-2 });
  gradcheck(() => project(ew.add(ew.mul(x, 3), ew.square(x))), [x], { h: 1e-2 });
});

const UNARY: [
  string,
  (x: import('../tensor/tensor.js').Tensor) => import('../tensor/tensor.js').Tensor,
  number,
  number,
][] = [
  ['neg', ew.neg, 1, 0],
  ['exp', ew.exp, 1, 0],
  ['log', ew.log, 0.3, 1.5],
  ['sqrt', ew.sqrt, 0.3, 1.5],
  ['square', ew.square, 1, 0],
  ['abs', ew.abs, 1, 0],
  ['clip', (x) => ew.clip(x, -0.5, 0.7), 1, 0],
];
for (const [name, op, scale, offset] of UNARY) {
  test(`${name}: gradient = central differences`, () => {
    const x = randomVariable([3, 5], 84, { scale, offset, name: 'x' });
    const kinks = name === 'abs' ? [0] : name === 'clip' ? [-0.5, 0.7] : [];
    gradcheck(() => project(op(x)), [x], {
      h: 1e-3,
      skip: (_v, i) => kinks.some((k) => Math.abs(x.data[i]! - k) < 1e-2),
    });
  });
}

test('unary values', () => {
  assert.deepEqual(ew.clip(tensor([-2, 0.25, 2]), -1, 1).toArray(), [-1, 0.25, 1]);
  assert.deepEqual(ew.abs(tensor([-2, 3])).toArray(), [2, 3]);
  assert.deepEqual(ew.sqrt(tensor([4, 9])).toArray(), [2, 3]);
});
