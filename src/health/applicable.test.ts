import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, layers, optimizers } from '../index.js';
import { remedies } from './remedy-catalog.js';
import { applicableTo } from './applicable.js';
import type { Finding } from './types.js';

const exploding: Finding = {
  kind: 'exploding_gradient',
  code: 'S-EXPLODE',
  severity: 'error',
  layers: [],
  source: 'trial',
  message: 'Exploding gradients.',
  evidence: {},
  remedies: remedies('gradient_clipping', 'smaller_learning_rate', 'batch_normalization'),
};
const ids = (fs: Finding[]) => fs[0]!.remedies.map((r) => r.id);

test('a clipped recurrent model is not told to clip gradients or to insert BatchNormalization', () => {
  const rnn = new Sequential([new layers.SimpleRNN(4, { inputShape: [5, 2] }), new layers.Dense(1)]);
  rnn.compile({ optimizer: new optimizers.SGD({ learningRate: 0.03, globalClipnorm: 1 }), loss: 'mse' });
  assert.deepEqual(ids(applicableTo(rnn)([exploding])), ['smaller_learning_rate']);
});

test('an unclipped Dense model keeps every remedy', () => {
  const mlp = new Sequential([new layers.Dense(4, { inputShape: [2] }), new layers.Dense(1)]);
  mlp.compile({ optimizer: new optimizers.SGD({ learningRate: 0.03 }), loss: 'mse' });
  assert.deepEqual(ids(applicableTo(mlp)([exploding])), [
    'gradient_clipping',
    'smaller_learning_rate',
    'batch_normalization',
  ]);
  const clipped = new Sequential([new layers.Dense(4, { inputShape: [2] }), new layers.Dense(1)]);
  clipped.compile({ optimizer: new optimizers.Adam({ clipvalue: 0.5 }), loss: 'mse' });
  assert.deepEqual(ids(applicableTo(clipped)([exploding])), ['smaller_learning_rate', 'batch_normalization']);
});
