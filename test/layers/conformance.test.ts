/**
 * Every layer through the one harness (test/helpers/layer-test.ts). Adding a layer
 * means adding one line here; the last test fails when a registered layer has none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constraints, layers, regularizers } from '../../src/index.js';
import { runLayerTest, runMergeLayerTest, type LayerCase, type MergeLayerCase } from '../helpers/layer-test.js';

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
  Conv2D: {
    make: () => new layers.Conv2D(3, { kernelSize: [3, 2], padding: 'same', strides: 2, activation: 'tanh' }),
    inputShape: [5, 4, 2],
  },
  Conv1D: {
    make: () => new layers.Conv1D(2, { kernelSize: 3, padding: 'causal', dilationRate: 2, biasInitializer: 'ones' }),
    inputShape: [6, 2],
    noTfjs: "computes its output length as for 'valid'",
  },
  MaxPooling2D: {
    make: () => new layers.MaxPooling2D({ poolSize: 3, strides: 2, padding: 'same' }),
    inputShape: [5, 4, 2],
  },
  AveragePooling2D: {
    make: () => new layers.AveragePooling2D({ poolSize: 2, strides: 1, padding: 'same' }),
    inputShape: [3, 3, 2],
  },
  GlobalAveragePooling2D: { make: () => new layers.GlobalAveragePooling2D(), inputShape: [3, 2, 2] },
  GlobalMaxPooling2D: {
    make: () => new layers.GlobalMaxPooling2D({ keepdims: true }),
    inputShape: [3, 2, 2],
    noTfjs: 'TF.js 4.22 ignores keepdims',
  },
  Reshape: { make: () => new layers.Reshape([3, -1]), inputShape: [2, 3] },
  SpatialDropout2D: {
    make: () => new layers.SpatialDropout2D(0.5, { seed: 4 }),
    inputShape: [2, 2, 3],
    modeDependent: true,
    noTfjs: 'TensorFlow.js 4.22 has no SpatialDropout2D',
  },
  'BatchNormalization (rank 4, per channel)': {
    make: () => new layers.BatchNormalization({ gammaInitializer: 'random_uniform' }),
    inputShape: [3, 2, 2],
    modeDependent: true,
  },
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
  Bidirectional: {
    make: () => new layers.Bidirectional(new layers.LSTM(2, { name: 'lstm_bi', returnSequences: true })),
    inputShape: [3, 2],
    noMomentRule: true,
  },
  'Bidirectional (SimpleRNN, sum, dropout)': {
    make: () =>
      new layers.Bidirectional(new layers.SimpleRNN(3, { name: 'rnn_bi', dropout: 0.3, seed: 4 }), {
        mergeMode: 'sum',
      }),
    inputShape: [4, 2],
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

/** Layers called on a list of tensors (runMergeLayerTest). */
export const MERGE_CASES: Record<string, MergeLayerCase> = {
  Add: { make: () => new layers.Add(), inputShapes: [[4], [4], [4]] },
  Subtract: { make: () => new layers.Subtract(), inputShapes: [[4], [4]] },
  Multiply: {
    make: () => new layers.Multiply(),
    inputShapes: [
      [2, 3],
      [2, 3],
    ],
  },
  Average: { make: () => new layers.Average(), inputShapes: [[5], [5]] },
  Maximum: { make: () => new layers.Maximum(), inputShapes: [[4], [4]], noMomentRule: true },
  Minimum: { make: () => new layers.Minimum(), inputShapes: [[4], [4]], noMomentRule: true },
  Concatenate: { make: () => new layers.Concatenate(), inputShapes: [[3], [5]] },
  'Concatenate (axis 1 of rank-3 inputs)': {
    make: () => new layers.Concatenate({ axis: 1 }),
    inputShapes: [
      [2, 3],
      [1, 3],
    ],
  },
};

for (const [label, c] of Object.entries(CASES)) runLayerTest(label, c);
for (const [label, c] of Object.entries(MERGE_CASES)) runMergeLayerTest(label, c);

test('every registered layer class has a conformance case', () => {
  const covered = new Set([...Object.values(CASES), ...Object.values(MERGE_CASES)].map((c) => c.make().className));
  const missing = layers.layerTypeNames().filter((n) => !covered.has(n));
  assert.deepEqual(missing, [], `add a line to CASES for ${missing.join(', ')}`);
});
