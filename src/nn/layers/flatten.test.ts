/** Flatten: [batch, 28, 28] → [batch, 784], values in row-major order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Flatten } from './flatten.js';
import { layerFromConfig } from './index.js';
import { tensor } from '../../tensor/tensor.js';

test('flattens all but the batch axis', () => {
  const f = new Flatten();
  const x = tensor([
    [
      [1, 2],
      [3, 4],
    ],
    [
      [5, 6],
      [7, 8],
    ],
  ]);
  assert.deepEqual(f.apply(x).toArray(), [
    [1, 2, 3, 4],
    [5, 6, 7, 8],
  ]);
  assert.deepEqual(f.computeOutputShape([28, 28]), [784]);
  const copy = layerFromConfig({ class_name: 'Flatten', config: f.getConfig() });
  assert.deepEqual(copy.apply(x).data, f.apply(x).data);
});
