/** Model save/load in the TensorFlow.js layers format, and Keras JSON import (see docs/interop.md). */
export { saveModel, modelToArtifacts, type ModelArtifacts } from './save.js';
export { loadModel, modelFromArtifacts, modelFromKerasJson } from './load.js';
export { LIMITS as serializationLimits } from './weights.js';
