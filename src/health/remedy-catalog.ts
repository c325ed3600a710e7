/** The remedies the doctor knows (the seed's list, plus a larger learning rate for a stalled loss), with the fix in
 * words. */
import type { Remedy, RemedyId } from './types.js';

const FIXES: Record<RemedyId, string> = {
  matching_initializer:
    'use the initializer that matches each activation: he_normal for the ReLU family, glorot_uniform for ' +
    'sigmoid/tanh/softsign, lecun_normal for SELU',
  non_saturating_activation:
    'replace saturating activations (sigmoid, tanh) by ELU and ReLU by LeakyReLU-style leaky_relu, with he_normal',
  batch_normalization: 'insert BatchNormalization between each hidden Dense (use_bias=false) and its activation',
  gradient_clipping: 'clip gradients: global_clipnorm=1.0 on the optimizer',
  learning_rate_warmup:
    'warm the learning rate up: start at 1/100 of it and ramp linearly to it over the first 50 steps ' +
    '(a CosineDecay schedule with warmup_target and alpha=1; Goyal et al. 2017)',
  max_norm: 'bound every hidden kernel column to norm ≤ 3 (kernel_constraint max_norm; Srivastava et al. 2014)',
  smaller_learning_rate: 'divide the learning rate by 10',
  larger_learning_rate: 'multiply the learning rate by 10 (the gradients are healthy but the steps are too small)',
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
};

function remedy(id: RemedyId): Remedy {
  return { id, fix: FIXES[id] };
}
export function remedies(...ids: RemedyId[]): Remedy[] {
  return ids.map(remedy);
}
