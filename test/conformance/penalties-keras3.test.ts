/**
 * Regularizers (value and gradient) and constraints (the projected weights) against
 * test/fixtures/penalties-keras3.json, a float64 transcription of Keras 3's regularizers.py and constraints.py
 * by test/reference/make_penalty_fixtures.py; and three SGD steps of a kernel with an L1L2 penalty in the loss
 * and a MaxNorm constraint after each update, in Keras's order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Tensor, Variable, constraints, ops, optimizers, regularizers, valueAndGrads } from '../../src/index.js';
import type { KerasObject } from '../../src/nn/keras-config.js';

interface Fixture {
  regularizers: { name: string; regularizer: KerasObject; x: number[][]; value: number; grad: number[][] | null }[];
  constraints: { name: string; constraint: KerasObject; w: number[][]; out: number[][] }[];
  training: {
    kernel: number[][];
    learning_rate: number;
    regularizer: KerasObject;
    constraint: KerasObject;
    steps: { loss_grad: number[][]; kernel_after: number[][] }[];
  };
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/penalties-keras3.json', import.meta.url), 'utf8'),
) as Fixture;

const matrix = (m: number[][]) => new Tensor(new Float32Array(m.flat()), [m.length, m[0]!.length]);

function close(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    assert.ok(Math.abs(actual[i]! - e) <= 1e-6 * Math.max(1, Math.abs(e)), `${what}[${i}]: ${actual[i]} vs ${e}`);
  }
}

test('regularizers: penalty and gradient as Keras 3 computes them (L1, L2, L1L2, OrthogonalRegularizer)', () => {
  assert.ok(fixture.regularizers.length >= 12);
  for (const c of fixture.regularizers) {
    const reg = regularizers.get(c.regularizer, c.name)!;
    const x = new Variable(matrix(c.x), { name: 'x' });
    const { value, grads } = valueAndGrads(() => reg.call(x), [x]);
    close(value.data, [c.value], `${c.name} value`);
    if (c.grad !== null) close(grads[0]!.data, c.grad.flat(), `${c.name} grad`);
  }
});

test('constraints: the projected weights as Keras 3 computes them (MaxNorm, UnitNorm, MinMaxNorm, NonNeg)', () => {
  assert.ok(fixture.constraints.length >= 16);
  for (const c of fixture.constraints) {
    const w = new Float32Array(c.w.flat());
    constraints.get(c.constraint, c.name)!.applyInPlace(w, [c.w.length, c.w[0]!.length]);
    close(w, c.out.flat(), c.name);
  }
});

test('three SGD steps with an L1L2 penalty in the loss and MaxNorm after each update', () => {
  const t = fixture.training;
  const reg = regularizers.get(t.regularizer)!;
  const constraint = constraints.get(t.constraint)!;
  const kernel = new Variable(matrix(t.kernel), { name: 'kernel' });
  const sgd = new optimizers.SGD({ learningRate: t.learning_rate });
  for (const [i, step] of t.steps.entries()) {
    const g = matrix(step.loss_grad);
    // A loss whose gradient is the given one: Σ g ⊙ W; the penalty joins it.
    const { grads } = valueAndGrads(() => ops.add(ops.sum(ops.mul(kernel, g)), reg.call(kernel)), [kernel]);
    sgd.apply(grads, [kernel]);
    constraint.applyInPlace(kernel.data, kernel.shape);
    close(kernel.data, step.kernel_after.flat(), `step ${i + 1}`);
  }
});
