/**
 * Three steps of every optimizer variant in test/fixtures/optimizers.json, with
 * no clipping and with each clipping mode, against the float64 reference
 * trajectories; the §8.1 clipping worked example; the "at most one clipping
 * option" rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { optimizers, Variable, tensor } from '../../src/index.js';
import { assertAllClose } from '../helpers/allclose.js';

interface OptCase {
  optimizer: string;
  config: Record<string, unknown>;
  theta: number[][][];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/optimizers.json', import.meta.url), 'utf8')) as {
  theta0: number[][];
  shapes: number[][];
  grads: number[][][];
  cases: OptCase[];
};

test('the fixture has 9 variants × 4 clipping modes', () => assert.equal(fixture.cases.length, 36));

for (const c of fixture.cases) {
  const clip = ['clipnorm', 'clipvalue', 'global_clipnorm'].find((k) => k in c.config) ?? 'no clipping';
  const label = `${c.optimizer} ${JSON.stringify(c.config)}`;
  test(`${label}: three steps match the reference (${clip})`, () => {
    const opt = optimizers.get({ class_name: c.optimizer, config: c.config });
    assert.equal(opt.className, c.optimizer);
    const vars = fixture.theta0.map((v, i) => new Variable(tensor(v), { name: `theta${i}` }));
    for (let step = 0; step < fixture.grads.length; step++) {
      const grads = fixture.grads[step]!.map((g) => tensor(g));
      opt.apply(grads, vars);
      assert.deepEqual(
        grads.map((g) => Array.from(g.data)),
        fixture.grads[step]!.map((g) => Array.from(Float32Array.from(g))),
        'apply does not modify the gradient tensors',
      );
      vars.forEach((v, i) =>
        assertAllClose(
          v.data,
          c.theta[step]![i]!,
          { rtol: 1e-5, atol: 1e-6 },
          `${label} step ${step + 1} variable ${i}`,
        ),
      );
    }
    assert.equal(opt.iterations, 3);
  });
}

test('the classes and applyGradients give the same trajectory as get({class_name, config})', () => {
  const c = fixture.cases.find((k) => k.optimizer === 'Adam' && 'clipnorm' in k.config)!;
  const opt = new optimizers.Adam({ learningRate: 0.1, clipnorm: 1 });
  const vars = fixture.theta0.map((v, i) => new Variable(tensor(v), { name: `theta${i}` }));
  for (let step = 0; step < 3; step++)
    opt.applyGradients(fixture.grads[step]!.map((g, i) => [tensor(g), vars[i]!] as const));
  vars.forEach((v, i) =>
    assertAllClose(v.data, c.theta[2]![i]!, { rtol: 1e-5, atol: 1e-6 }, `Adam class variable ${i}`),
  );
});

/** Clipped gradients seen through SGD(lr 1) from θ = 0: θ after one step is −clip(g). */
function clipped(args: optimizers.SGDArgs): number[][] {
  const opt = new optimizers.SGD({ learningRate: 1, ...args });
  const vars = [new Variable(tensor([0, 0]), { name: 'a' }), new Variable(tensor([0, 0]), { name: 'b' })];
  opt.apply([tensor([3, 4]), tensor([0.6, 0.8])], vars);
  return vars.map((v) => Array.from(v.data, (x) => -x));
}

test('keras-semantics §8.1 clipping worked example: g₁ = [3, 4], g₂ = [0.6, 0.8]', () => {
  const byNorm = clipped({ clipnorm: 1 });
  assertAllClose(byNorm.flat(), [0.6, 0.8, 0.6, 0.8], { rtol: 1e-6 }, 'clipnorm (per tensor)');
  const byGlobal = clipped({ globalClipnorm: 1 });
  assertAllClose(
    byGlobal.flat(),
    [0.58834841, 0.78446454, 0.11766968, 0.15689291],
    { rtol: 1e-6 },
    'global_clipnorm (joint, N = 5.0990195)',
  );
  const byValue = clipped({ clipvalue: 0.7 });
  assertAllClose(byValue.flat(), [0.7, 0.7, 0.6, 0.7], { rtol: 1e-6 }, 'clipvalue');
  assertAllClose(clipped({}).flat(), [3, 4, 0.6, 0.8], { rtol: 1e-6 }, 'no clipping');
});

test('setting two clipping options is an error (classes and configs)', () => {
  assert.throws(
    () => new optimizers.SGD({ clipnorm: 1, clipvalue: 0.5 }),
    /at most one of clipnorm, clipvalue and globalClipnorm/,
  );
  assert.throws(() => new optimizers.Adam({ clipnorm: 1, globalClipnorm: 1 }), /at most one/);
  assert.throws(
    () => optimizers.get({ class_name: 'RMSprop', config: { clipvalue: 1, global_clipnorm: 2 } }),
    /at most one/,
  );
  // 0 / null mean "off", so these are fine.
  assert.doesNotThrow(() => new optimizers.SGD({ clipnorm: 1, clipvalue: 0, globalClipnorm: null }));
});

test('a non-finite global norm turns every gradient into NaN (Keras)', () => {
  const opt = new optimizers.SGD({ learningRate: 1, globalClipnorm: 1 });
  const vars = [new Variable(tensor([0, 0]), { name: 'a' }), new Variable(tensor([0]), { name: 'b' })];
  opt.apply([tensor([Infinity, 1]), tensor([1])], vars);
  assert.ok([...vars[0]!.data, ...vars[1]!.data].every(Number.isNaN));
});

test('all-null gradients are an error; a null gradient skips its variable', () => {
  const opt = new optimizers.SGD({ learningRate: 1 });
  const a = new Variable(tensor([1]), { name: 'a' }),
    b = new Variable(tensor([1]), { name: 'b' });
  assert.throws(() => opt.apply([null, null], [a, b]), /every gradient is null/);
  opt.apply([tensor([0.5]), null], [a, b]);
  assert.deepEqual([a.data[0], b.data[0]], [0.5, 1]);
});
