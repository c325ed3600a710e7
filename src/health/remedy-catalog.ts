/** The remedies the doctor knows, each with the fix in plain words (imperative, so "fix: <text>" reads). */
import type { Remedy, RemedyId } from './types.js';

const FIXES: Record<RemedyId, string> = {
  matching_initializer:
    'start every bias at zero and use the initializer that matches each activation: he_normal for the ReLU ' +
    'family, glorot_uniform for sigmoid/tanh/softsign, lecun_normal for SELU',
  non_saturating_activation:
    'replace saturating activations (sigmoid, tanh) by ELU and ReLU by LeakyReLU-style leaky_relu, with he_normal',
  batch_normalization: 'insert BatchNormalization between each hidden Dense (use_bias=false) and its activation',
  gradient_clipping: 'clip gradients: global_clipnorm=1.0 on the optimizer',
  learning_rate_warmup:
    'warm the learning rate up: start at 1/100 of it and ramp linearly to it over the first 50 steps ' +
    '(a CosineDecay schedule with warmup_target and alpha=1; Goyal et al. 2017)',
  max_norm: 'bound every hidden kernel column to norm ≤ 3 (kernel_constraint max_norm; Srivastava et al. 2014)',
  smaller_learning_rate:
    'lower the learning rate to the one a short learning-rate range test finds (Smith 2017; without one, ÷10)',
  larger_learning_rate:
    'raise the learning rate to the one a short learning-rate range test finds (Smith 2017; without one, ×10)',
  alpha_dropout: 'replace Dropout by AlphaDropout in a SELU network',
  self_normalizing:
    'restore the SELU conditions: selu + lecun_normal on every hidden Dense, AlphaDropout instead of Dropout, ' +
    'no BatchNormalization, standardized inputs',
  remove_bias_before_batch_norm:
    'set use_bias=false on a Dense that feeds BatchNormalization (its beta already adds the offset)',
  dropout_after_batch_norm: 'move Dropout after the last BatchNormalization (or drop it)',
  elu_alpha_one: 'use ELU with alpha=1 (differentiable at 0)',
  residual_connections:
    'add identity skip connections around each block of hidden layers, y = x + F(x) (He et al. 2016): build ' +
    'the model with the functional API (input(), layer.apply, layers.Add) so gradients reach early layers ' +
    'through the identity path',
  orthogonal_recurrent_init:
    "start recurrent kernels orthogonal (recurrent_initializer='orthogonal', Keras's default): every singular value " +
    '1, so h·U neither grows nor shrinks gradients through time (Saxe et al. 2014)',
  gated_recurrent:
    'use LSTM (or GRU) instead of SimpleRNN: the gated cell path carries gradients across many steps (Hochreiter & ' +
    'Schmidhuber 1997)',
  layer_normalization:
    'insert LayerNormalization after each recurrent layer that feeds another (BatchNormalization does not suit ' +
    'recurrent stacks; Ba et al. 2016)',
  fix_output_layer:
    'make the output layer match the loss: softmax over K ≥ 2 units for (sparse_)categorical_crossentropy, one ' +
    'sigmoid unit for binary_crossentropy, a linear output for mse/mae; no softmax in hidden layers',
  remove_misplaced_batch_norm:
    'remove the BatchNormalization after the output layer, and any BatchNormalization that sees batches of a ' +
    'few examples (normalize the inputs instead)',
  standardize_inputs:
    "standardize the inputs: subtract each feature's training mean and divide by its standard deviation " +
    '("standardize": true in the data)',
  standardize_targets:
    'standardize the regression targets (mean 0, variance 1; "standardize_targets": true in the data) and ' +
    'undo it on predictions',
  larger_batch: 'raise the batch size to 32 (batch statistics and gradient averages need more than a few examples)',
  lower_dropout: 'lower the dropout rate to 0.2 (at most half the units of a layer should be dropped)',
  adam_optimizer: "use Adam (learning rate 1e-3), which adapts each step to the gradient's scale",
};

function remedy(id: RemedyId): Remedy {
  return { id, fix: FIXES[id] };
}
export function remedies(...ids: RemedyId[]): Remedy[] {
  return ids.map(remedy);
}
