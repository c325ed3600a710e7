/** Dense: construction errors, the computation, config round trip, weights. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dense } from './dense.js';
import { layerFromConfig } from './index.js';
import { tensor } from '../../tensor/tensor.js';
import { setSeed } from '../../tensor/rng.js';

test('bad units are errors', () => {
  for (const units of [0, -3, 2.5, NaN, '10' as unknown as number]) {
    assert.throws(() => new Dense(units), /Invalid units for Dense/, `units ${String(units)}`);
  }
});

test('unknown activation or initializer names are errors with a suggestion', () => {
  assert.throws(
    () => new Dense(3, { activation: 'relux' as never }),
    /unknown activation 'relux'\. Did you mean 'relu'\?/,
  );
  assert.throws(
    () => new Dense(3, { kernelInitializer: 'he_normall' as never }),
    /unknown initializer 'he_normall'\. Did you mean/,
  );
  assert.throws(
    () => new Dense(3, { biasInitializer: 'zeroes' as never }),
    /Did you mean 'Zeros'|Did you mean 'zeros'/,
  );
});

test('output = activation(x·W + b) with kernel [in, units]', () => {
  const d = new Dense(2, { activation: 'relu', inputShape: [3] });
  const x = tensor([
    [1, 2, 3],
    [-1, 0, 1],
  ]);
  d.apply(x);
  d.kernel!.assign(Float32Array.of(1, -1, 0, 1, 2, 0));
  d.bias!.assign(Float32Array.of(0.5, -10));
  // Row 1: [1+0+6, -1+2+0] + b = [7.5, -9] → relu → [7.5, 0]; row 2: [-1+0+2, 1+0+0] + b = [1.5, -9] → [1.5, 0].
  assert.deepEqual(d.apply(x).toArray(), [
    [7.5, 0],
    [1.5, 0],
  ]);
  assert.deepEqual(
    d.weights.map((w) => w.name),
    [`${d.name}/kernel`, `${d.name}/bias`],
  );
  assert.deepEqual(
    d.weights.map((w) => w.shape),
    [[3, 2], [2]],
  );
});

test('useBias false has only a kernel; defaults are glorot_uniform and zeros', () => {
  const d = new Dense(4, { useBias: false });
  d.build([5]);
  assert.equal(d.weights.length, 1);
  const c = d.getConfig();
  assert.equal((c.kernel_initializer as { class_name: string }).class_name, 'GlorotUniform');
  assert.equal((c.bias_initializer as { class_name: string }).class_name, 'Zeros');
  assert.equal(c.activation, 'linear');
});

test('getConfig → layerFromConfig gives a layer with identical outputs (given the same weights)', () => {
  setSeed(3);
  const d = new Dense(3, { activation: 'selu', kernelInitializer: 'lecun_normal', inputShape: [4] });
  const x = tensor([
    [0.5, -1, 2, 0],
    [1, 1, 1, 1],
  ]);
  const y = d.apply(x);
  const copy = layerFromConfig({ class_name: 'Dense', config: d.getConfig() });
  assert.ok(copy instanceof Dense);
  assert.equal(copy.name, d.name);
  assert.deepEqual(copy.getConfig(), d.getConfig());
  copy.build([4]);
  copy.weights.forEach((w, i) => w.assign(d.weights[i]!));
  assert.deepEqual(copy.apply(x).data, y.data);
});

test('a built layer rejects inputs of another feature size', () => {
  const d = new Dense(2, { inputShape: [3] });
  d.apply(tensor([[1, 2, 3]]));
  assert.throws(() => d.apply(tensor([[1, 2]])), /was built for inputs of shape \[null, 3\]/);
});
