/** LeakyReLU (and its `alpha` alias), PReLU (starts as ReLU, learns slopes), ELU. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ELU, LeakyReLU, PReLU } from './advanced-activations.js';
import { layerFromConfig } from './index.js';
import { tensor } from '../../tensor/tensor.js';
import { assertAllClose } from '../../../test/helpers/allclose.js';

const X = tensor([
  [-3, -1, -0.5],
  [0, 0.5, 3],
]);

test('LeakyReLU: default slope 0.3 (keras-semantics §2 table)', () => {
  assertAllClose(new LeakyReLU().apply(X).data, [-0.9, -0.3, -0.15, 0, 0.5, 3], { rtol: 1e-6 });
});

test(
  'LeakyReLU: `alpha` is an alias of negativeSlope and overrides it; config writes negative_slope (Keras 3), ' +
    'reads both',
  () => {
    const a = new LeakyReLU({ alpha: 0.1 });
    assert.equal(a.negativeSlope, 0.1);
    assert.equal(new LeakyReLU({ negativeSlope: 0.2, alpha: 0.05 }).negativeSlope, 0.05);
    assertAllClose(a.apply(X).data, [-0.3, -0.1, -0.05, 0, 0.5, 3], { rtol: 1e-6 });
    assert.equal(a.getConfig().negative_slope, 0.1);
    assert.equal(a.getConfig().alpha, undefined);
    const fromKeras3 = layerFromConfig({ class_name: 'LeakyReLU', config: { negative_slope: 0.2 } }) as LeakyReLU;
    assert.equal(fromKeras3.negativeSlope, 0.2);
    const copy = layerFromConfig({ class_name: 'LeakyReLU', config: a.getConfig() });
    assert.deepEqual(copy.apply(X).data, a.apply(X).data);
    assert.throws(() => new LeakyReLU({ negativeSlope: -1 }), /Invalid negativeSlope/);
  },
);

test('PReLU starts as ReLU (alpha = 0 per feature) and its slopes are trainable weights', () => {
  const p = new PReLU({ name: 'pr' });
  assertAllClose(p.apply(X).data, [0, 0, 0, 0, 0.5, 3], { rtol: 0, atol: 0 });
  assert.deepEqual(
    p.weights.map((w) => [w.name, w.shape, w.trainable]),
    [['pr/alpha', [3], true]],
  );
  p.alpha!.assign(Float32Array.of(0.1, 0.2, 0.3));
  assertAllClose(p.apply(X).data, [-0.3, -0.2, -0.15, 0, 0.5, 3], { rtol: 1e-6 });
  assert.throws(() => new PReLU({ sharedAxes: [1] as never }), /'sharedAxes' is not supported/);
  const copy = layerFromConfig({ class_name: 'PReLU', config: p.getConfig() }) as PReLU;
  copy.build([3]);
  assert.deepEqual(Array.from(copy.alpha!.data), [0, 0, 0], 'the config carries the initializer, not the values');
});

test('ELU layer: alpha scales the negative part', () => {
  assertAllClose(new ELU().apply(X).data, [-0.9502129316, -0.6321205588, -0.3934693403, 0, 0.5, 3], { rtol: 1e-6 });
  assertAllClose(new ELU({ alpha: 2 }).apply(X).data, [-1.9004258632, -1.2642411176, -0.7869386806, 0, 0.5, 3], {
    rtol: 1e-6,
  });
  const copy = layerFromConfig({ class_name: 'ELU', config: new ELU({ alpha: 2, name: 'e2' }).getConfig() }) as ELU;
  assert.equal(copy.alpha, 2);
  assert.throws(() => new ELU({ alpha: NaN }), /Invalid alpha/);
});
