/**
 * Every layer through the one harness (test/helpers/layer-test.ts). Adding a layer
 * means adding one line here; the last test fails when a registered layer has none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constraints, layers, regularizers } from '../../src/index.js';
import { runLayerTest, type LayerCase } from '../helpers/layer-test.js';

export const CASES: Record<string, LayerCase> = {
  Dense: { make: () => new layers.Dense(3, { activation: 'elu', biasInitializer: 'random_normal' }), inputShape: [5] },
  'Dense (LeakyReLU object as activation)': {
    make: () => new layers.Dense(3, { activation: new layers.LeakyReLU({ negativeSlope: 0.3 }) }),
    inputShape: [4],
    scale: 1,
  },
  'Dense (regularizers and constraints)': {
    make: () =>
      new layers.Dense(3, {
        activation: 'tanh',
        kernelRegularizer: regularizers.l2(0.01),
        biasRegularizer: 'l1',
        activityRegularizer: new regularizers.L1L2({ l1: 0.01, l2: 0.001 }),
        kernelConstraint: new constraints.MaxNorm({ maxValue: 1.5 }),
        biasConstraint: 'non_neg',
      }),
    inputShape: [5],
  },
  Activation: { make: () => new layers.Activation('swish'), inputShape: [6] },
  BatchNormalization: {
    make: () => new layers.BatchNormalization({ betaInitializer: 'random_normal', gammaInitializer: 'random_uniform' }),
    inputShape: [3],
    modeDependent: true,
  },
  'BatchNormalization (regularizers and constraints)': {
    make: () =>
      new layers.BatchNormalization({
        gammaRegularizer: 'l2',
        betaRegularizer: { class_name: 'L1', config: { l1: 0.001 } },
        gammaConstraint: 'non_neg',
        betaConstraint: new constraints.MinMaxNorm({ maxValue: 2, rate: 0.5 }),
      }),
    inputShape: [3],
    modeDependent: true,
  },
  Dropout: { make: () => new layers.Dropout(0.4, { seed: 3 }), inputShape: [8], modeDependent: true },
  AlphaDropout: { make: () => new layers.AlphaDropout(0.3, { seed: 3 }), inputShape: [8], modeDependent: true },
  LeakyReLU: { make: () => new layers.LeakyReLU({ negativeSlope: 0.2 }), inputShape: [6] },
  PReLU: {
    make: () => new layers.PReLU({ alphaInitializer: { class_name: 'Constant', config: { value: 0.25 } } }),
    inputShape: [6],
  },
  'PReLU (alpha regularizer and constraint)': {
    make: () => new layers.PReLU({ alphaRegularizer: 'l1_l2', alphaConstraint: 'non_neg' }),
    inputShape: [6],
  },
  ELU: { make: () => new layers.ELU({ alpha: 1 }), inputShape: [6] },
  'ELU (alpha 0.5)': { make: () => new layers.ELU({ alpha: 0.5 }), inputShape: [6], noTfjs: 'only supports alpha = 1' },
  Flatten: { make: () => new layers.Flatten(), inputShape: [2, 3] },
  SimpleRNN: {
    make: () => new layers.SimpleRNN(3, { biasInitializer: 'random_normal' }),
    inputShape: [4, 2],
    noMomentRule: true,
  },
  'SimpleRNN (relu, returnSequences, dropout)': {
    make: () => new layers.SimpleRNN(3, { activation: 'relu', returnSequences: true, dropout: 0.3, seed: 1 }),
    inputShape: [3, 2],
    modeDependent: true,
    noMomentRule: true,
    scale: 0.5,
  },
  LSTM: { make: () => new layers.LSTM(3, { returnSequences: true }), inputShape: [4, 2], noMomentRule: true },
  'LSTM (recurrentDropout, hard_sigmoid)': {
    make: () => new layers.LSTM(2, { recurrentDropout: 0.3, seed: 2, recurrentActivation: 'hard_sigmoid' }),
    inputShape: [3, 2],
    modeDependent: true,
    noMomentRule: true,
    noTfjs: 'hard_sigmoid',
    scale: 0.3,
  },
  GRU: { make: () => new layers.GRU(3, { biasInitializer: 'random_normal' }), inputShape: [4, 2], noMomentRule: true },
  'GRU (resetAfter false, recurrentDropout)': {
    make: () => new layers.GRU(2, { resetAfter: false, returnSequences: true, recurrentDropout: 0.25, seed: 3 }),
    inputShape: [3, 2],
    modeDependent: true,
    noMomentRule: true,
  },
  Embedding: { make: () => new layers.Embedding(7, 3), inputShape: [5], integerInputs: 7, noMomentRule: true },
  LayerNormalization: {
    make: () => new layers.LayerNormalization({ betaInitializer: 'random_normal', gammaInitializer: 'random_uniform' }),
    inputShape: [2, 4],
  },
  GaussianNoise: { make: () => new layers.GaussianNoise(0.1, { seed: 2 }), inputShape: [5], modeDependent: true },
};

for (const [label, c] of Object.entries(CASES)) runLayerTest(label, c);

test('every registered layer class has a conformance case', () => {
  const covered = new Set(Object.values(CASES).map((c) => c.make().className));
  const missing = layers.layerTypeNames().filter((n) => !covered.has(n));
  assert.deepEqual(missing, [], `add a line to CASES for ${missing.join(', ')}`);
});
