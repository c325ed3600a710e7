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
export { Conv2D, type Conv2DArgs } from './conv2d.js';
export { Conv1D, type Conv1DArgs } from './conv1d.js';
export { MaxPooling2D, type MaxPooling2DArgs } from './max-pooling-2d.js';
export { AveragePooling2D, type AveragePooling2DArgs } from './average-pooling-2d.js';
export { GlobalAveragePooling2D } from './global-average-pooling-2d.js';
export { GlobalMaxPooling2D } from './global-max-pooling-2d.js';
export { Reshape, type ReshapeArgs } from './reshape.js';
export { SpatialDropout2D, type SpatialDropout2DArgs } from './spatial-dropout-2d.js';
export { Add, Subtract, Average, Multiply, Maximum, Minimum, Concatenate, type ConcatenateArgs } from './merge.js';
export { SimpleRNN, type SimpleRNNArgs } from './simple-rnn.js';
export { LSTM, type LSTMArgs } from './lstm.js';
export { GRU, type GRUArgs } from './gru.js';
export { Embedding, type EmbeddingArgs } from './embedding.js';
export { LayerNormalization, type LayerNormalizationArgs } from './layer-normalization.js';
export { Bidirectional, type BidirectionalArgs, type MergeMode } from './bidirectional.js';
