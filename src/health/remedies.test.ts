/**
 * The toolbox remedies: learning-rate warm-up (a CosineDecay schedule with warmup_target and alpha 1, i.e. a
 * linear ramp then a constant rate, Keras 3 semantics) and max-norm on hidden kernels. Each rewrites the run
 * config into one that builds, and the rewritten optimizer follows the ramp step by step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunConfig, buildModel } from '../run-config/run-config.js';
import * as optimizers from '../nn/optimizers/index.js';
import { applyRemedy } from './remedies.js';

const source = {
  seed: 1,
  data: { dataset: 'teacher' },
  model: [
    { repeat: 3, layers: [{ type: 'Dense', units: 16, activation: 'relu', kernel_initializer: 'he_normal' }] },
    { type: 'Dense', units: 4, activation: 'softmax' },
  ],
  compile: {
    optimizer: { class_name: 'SGD', config: { learning_rate: 0.5 } },
    loss: 'sparse_categorical_crossentropy',
  },
  fit: { epochs: 1, batch_size: 32 },
};

test('learning_rate_warmup: a linear ramp from lr/100 to lr over 50 steps, then lr', () => {
  const fixed = applyRemedy(parseRunConfig(source), 'learning_rate_warmup')!;
  const spec = fixed.compile.optimizer as unknown as { config: { learning_rate: { class_name: string } } };
  assert.equal(spec.config.learning_rate.class_name, 'CosineDecay');
  const opt = optimizers.get(fixed.compile.optimizer, 'test');
  const rateAt = (step: number) => {
    opt.iterations = step;
    return opt.learningRate;
  };
  // Keras 3 CosineDecay warm-up: initial + (target − initial)·step/warmup_steps; after it, alpha = 1 keeps the
  // target.
  for (const step of [0, 10, 25, 49]) assert.ok(Math.abs(rateAt(step) - (0.005 + (0.5 - 0.005) * (step / 50))) < 1e-6);
  for (const step of [50, 51, 500]) assert.ok(Math.abs(rateAt(step) - 0.5) < 1e-6);
});

test('max_norm: a MaxNorm(3) kernel constraint on every hidden Dense, not the output layer', () => {
  const fixed = applyRemedy(parseRunConfig(source), 'max_norm')!;
  const model = buildModel(fixed, [32]);
  const constrained = model.layers.map(
    (l) => (l.getConfig().kernel_constraint as { class_name?: string } | null)?.class_name ?? null,
  );
  assert.deepEqual(constrained, ['MaxNorm', 'MaxNorm', 'MaxNorm', null]);
  assert.equal(applyRemedy(fixed, 'max_norm'), null, 'applying it twice changes nothing');
});
