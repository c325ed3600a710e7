/**
 * The layers, one class per file. Each file registers its class (its config
 * keys, weights, state and doctor rules live there); a line here makes it public.
 */
export {
  Layer,
  resetLayerNames,
  withFreshLayerNames,
  type LayerArgs,
  type CallContext,
  type WeightSpec,
  type LayerFacts,
  type LayerRole,
  type LayerArgSpec,
} from './layer.js';
export { registerLayer, layerFromConfig, layerTypeNames, serializeLayer, type CustomObjects } from './serialize.js';
export type { Moments, MomentStep, MomentTools } from './moments.js';
export { Dense, type DenseArgs } from './dense.js';
export { Activation, type ActivationArgs } from './activation.js';
export { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
export { Dropout, type DropoutArgs } from './dropout.js';
export { AlphaDropout } from './alpha-dropout.js';
export { LeakyReLU, PReLU, ELU, type LeakyReLUArgs, type PReLUArgs, type ELUArgs } from './advanced-activations.js';
export { Flatten, type FlattenArgs } from './flatten.js';
export { GaussianNoise, type GaussianNoiseArgs } from './gaussian-noise.js';
export { SimpleRNN, type SimpleRNNArgs } from './simple-rnn.js';
export { LSTM, type LSTMArgs } from './lstm.js';
export { GRU, type GRUArgs } from './gru.js';
export { Embedding, type EmbeddingArgs } from './embedding.js';
export { LayerNormalization, type LayerNormalizationArgs } from './layer-normalization.js';
