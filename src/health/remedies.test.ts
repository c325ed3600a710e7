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

test('smaller/larger_learning_rate scale a schedule (every rate it holds) instead of flattening it', () => {
  const rateAt = (config: ReturnType<typeof parseRunConfig>, step: number) => {
    const opt = optimizers.get(config.compile.optimizer, 'test');
    opt.iterations = step;
    return opt.learningRate;
  };
  const warmed = applyRemedy(parseRunConfig(source), 'learning_rate_warmup')!;
  const smaller = applyRemedy(warmed, 'smaller_learning_rate')!;
  const spec = smaller.compile.optimizer as unknown as { config: { learning_rate: { class_name: string } } };
  assert.equal(spec.config.learning_rate.class_name, 'CosineDecay');
  for (const step of [0, 25, 50, 500]) {
    const want = rateAt(warmed, step) / 10;
    assert.ok(Math.abs(rateAt(smaller, step) - want) < 1e-9 * Math.max(1, want), `step ${step}`);
  }
  const piecewise = parseRunConfig({
    ...source,
    compile: {
      ...source.compile,
      optimizer: {
        class_name: 'SGD',
        config: {
          learning_rate: { class_name: 'PiecewiseConstantDecay', config: { boundaries: [10], values: [0.5, 0.05] } },
        },
      },
    },
  });
  const larger = applyRemedy(piecewise, 'larger_learning_rate')!;
  assert.ok(Math.abs(rateAt(larger, 0) - 5) < 1e-9 && Math.abs(rateAt(larger, 20) - 0.5) < 1e-9);
});
