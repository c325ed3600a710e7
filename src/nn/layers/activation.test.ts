/** Activation layer: by name, unknown names, config round trip. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Activation } from './activation.js';
import { layerFromConfig } from './index.js';
import { tensor } from '../../tensor/tensor.js';
import { assertAllClose } from '../../../test/helpers/allclose.js';

test('applies the named activation (selu reference values, keras-semantics §2)', () => {
  const x = tensor([[-3, -1, -0.5, 0, 0.5, 1, 3]]);
  assertAllClose(
    new Activation('selu').apply(x).data,
    [-1.670568729, -1.111330738, -0.6917581878, 0, 0.5253504937, 1.050700987, 3.152102962],
    { rtol: 1e-6 },
  );
  assertAllClose(
    new Activation('softmax').apply(tensor([[1, 2, 3]])).data,
    [0.09003057317, 0.2447284711, 0.6652409558],
    { rtol: 1e-6 },
  );
});

test('unknown or missing activation is an error with a suggestion', () => {
  assert.throws(() => new Activation('sigmiod' as never), /unknown activation 'sigmiod'\. Did you mean 'sigmoid'\?/);
  assert.throws(() => new Activation(undefined as never), /activation argument is required/);
});

test('getConfig round trip', () => {
  const a = new Activation('gelu', { name: 'act' });
  const copy = layerFromConfig({ class_name: 'Activation', config: a.getConfig() });
  const x = tensor([[-1, 0.5, 2]]);
  assert.deepEqual(copy.getConfig(), a.getConfig());
  assert.deepEqual(copy.apply(x).data, a.apply(x).data);
});
