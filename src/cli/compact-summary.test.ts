import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactSummary } from './compact-summary.js';
import { Sequential } from '../nn/model.js';
import { Dense } from '../nn/layers/dense.js';
import { BatchNormalization } from '../nn/layers/batch-normalization.js';
import { Activation } from '../nn/layers/activation.js';

test('compactSummary folds a repeated block into one row, aligned on the first layer type', () => {
  const layers = [new Dense(8, { inputShape: [4], useBias: false }), new BatchNormalization(), new Activation('elu')];
  for (let i = 0; i < 5; i++)
    layers.push(new Dense(8, { useBias: false }), new BatchNormalization(), new Activation('elu'));
  layers.push(new Dense(3, { activation: 'softmax' }));
  const model = new Sequential(layers, { name: 'deep' });
  const text = compactSummary(model, [4]);
  const lines = text.split('\n');
  assert.equal(lines[0], 'Model: "deep" (19 layers; --verbose for each one)');
  // Dense(4→8) differs from the others (32 vs 64 weights), so it stays alone with its BN and activation.
  assert.match(text, /^5 × \[Dense → BatchNormalization → Activation\]\s+\(None, 8\)\s+480$/m); // 5 × (64 + 32)
  assert.match(text, /^ {2}dense_\d+ … activation_\d+$/m);
  assert.ok(lines.length <= 10, text);
  // 32 + 5·64 (Dense) + 6·32 (BN: 16 trainable, 16 moving statistics) + 27 (output Dense) = 571; 475 trainable.
  assert.match(lines.at(-1)!, /^Total params: 571 \(trainable 475\)$/);
});
