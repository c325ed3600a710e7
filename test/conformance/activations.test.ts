/**
 * Every activation's value and derivative at the fixture points (PyTorch float64
 * reference, test/fixtures/activations.json), through the public
 * `activations.get(name)` applied to a Variable; softmax values and its
 * vector-Jacobian product for the fixture's upstream vectors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { activations, ops, Variable, valueAndGrads, tensor } from '../../src/index.js';
import { assertAllClose } from '../helpers/allclose.js';

interface ActivationFixture {
  points: number[];
  functions: Record<string, { value: number[]; derivative: number[]; kink_indices?: number[] }>;
  softmax: { x: number[]; value: number[]; upstream: number[]; grad: number[] }[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/activations.json', import.meta.url), 'utf8'),
) as ActivationFixture;

test('the fixture covers every registered element-wise activation', () => {
  const registered = activations.activationNames().filter((n) => n !== 'softmax');
  assert.deepEqual([...registered].sort(), Object.keys(fixture.functions).sort());
});

for (const [name, ref] of Object.entries(fixture.functions)) {
  test(`${name}: values and derivatives at ${fixture.points.length} points match PyTorch`, () => {
    const fn = activations.get(name);
    const x = new Variable(Float32Array.from(fixture.points), { name: 'x' });
    // The points ±0.1 are not exact in float32: relative 1e-5, plus an absolute floor for values that underflow.
    assertAllClose(fn(x).data, ref.value, { rtol: 1e-5, atol: 1e-6 }, `${name} values`);
    const { grads } = valueAndGrads(() => ops.sum(fn(x)), [x]);
    const kinks = new Set(ref.kink_indices ?? []);
    const keep = fixture.points.map((_p, i) => i).filter((i) => !kinks.has(i));
    assertAllClose(
      keep.map((i) => grads[0]!.data[i]!),
      keep.map((i) => ref.derivative[i]!),
      { rtol: 1e-5, atol: 1e-6 },
      `${name} derivatives`,
    );
  });
}

test('softmax: values and Jᵀ·upstream match PyTorch (including inputs around ±1000)', () => {
  for (const c of fixture.softmax) {
    const x = new Variable(Float32Array.from(c.x), { name: 'x' });
    const y = activations.get('softmax')(x);
    assertAllClose(y.data, c.value, { rtol: 1e-5, atol: 1e-7 }, `softmax(${c.x})`);
    const { grads } = valueAndGrads(() => ops.sum(ops.mul(activations.get('softmax')(x), tensor(c.upstream))), [x]);
    assertAllClose(grads[0]!.data, c.grad, { rtol: 1e-4, atol: 1e-6 }, `softmax grad at ${c.x}`);
  }
});
