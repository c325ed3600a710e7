/** The layers, one class per file. */
export { Layer, resetLayerNames, type LayerArgs, type CallContext } from './layer.js';
export { Dense, type DenseArgs } from './dense.js';
export { Activation } from './activation.js';
export { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
export { Dropout, type DropoutArgs } from './dropout.js';
export { AlphaDropout } from './alpha-dropout.js';
export { LeakyReLU, PReLU, ELU, type LeakyReLUArgs, type PReLUArgs, type ELUArgs } from './advanced-activations.js';
export { Flatten } from './flatten.js';
export { layerFromConfig, layerTypeNames } from './from-config.js';
