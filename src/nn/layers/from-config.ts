/**
 * Layers from Keras config objects ({class_name, config}, snake_case keys;
 * both the Keras 3 and the tf.keras 2 / TF.js dialects). Every key Keras
 * accepts is accepted; keys that would change behaviour we do not support
 * (regularizers, constraints, noise_shape...) must be null; unknown keys are
 * errors with a suggestion.
 */
import { configToArgs, isKerasObject, type KerasObject } from '../config.js';
import { Registry } from '../registry.js';
import type { Layer } from './layer.js';
import { Dense } from './dense.js';
import { Activation } from './activation.js';
import { BatchNormalization } from './batch-normalization.js';
import { Dropout } from './dropout.js';
import { AlphaDropout } from './alpha-dropout.js';
import { ELU, LeakyReLU, PReLU } from './advanced-activations.js';
import { Flatten } from './flatten.js';

/** Keys every layer accepts. `dtype` may be Keras 3's DTypePolicy object. */
const BASE = ['name', 'trainable', 'dtype', 'batchInputShape', 'inputShape', 'batchShape', 'inputDim'];
/** Keras keys with no effect when null/default. */
const INERT = ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer', 'kernelConstraint', 'biasConstraint',
  'betaRegularizer', 'gammaRegularizer', 'betaConstraint', 'gammaConstraint', 'alphaRegularizer', 'alphaConstraint',
  'quantizationConfig', 'loraRank', 'loraAlpha', 'synchronized', 'renorm', 'renormClipping', 'renormMomentum', 'dataFormat', 'module', 'registeredName', 'sparse', 'ragged', 'optional'];

interface Entry { keys: string[]; create: (a: Record<string, unknown>) => Layer }

const registry = new Registry<Entry>('layer type');
registry.add('Dense', { keys: ['units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer'], create: (a) => new Dense(a.units as number, a) });
registry.add('Activation', { keys: ['activation'], create: (a) => new Activation(a.activation as never, a) });
registry.add('BatchNormalization', {
  keys: ['axis', 'momentum', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer'],
  create: (a) => new BatchNormalization(a),
});
registry.add('Dropout', { keys: ['rate', 'noiseShape', 'seed'], create: (a) => new Dropout(a) });
registry.add('AlphaDropout', { keys: ['rate', 'noiseShape', 'seed'], create: (a) => new AlphaDropout(a) });
registry.add('LeakyReLU', { keys: ['negativeSlope', 'alpha'], create: (a) => new LeakyReLU(a) });
registry.add('PReLU', { keys: ['alphaInitializer', 'sharedAxes'], create: (a) => new PReLU(a) });
registry.add('ELU', { keys: ['alpha'], create: (a) => new ELU(a) });
registry.add('Flatten', { keys: [], create: (a) => new Flatten(a) });

export function layerTypeNames(): readonly string[] { return registry.names(); }

/** Keras config → Layer. `where` names the place for error messages (e.g. "model.layers[3]"). */
export function layerFromConfig(object: KerasObject, where = 'layer'): Layer {
  if (!isKerasObject(object)) throw new Error(`${where}: expected {class_name, config}; received ${JSON.stringify(object)?.slice(0, 200)}`);
  const entry = registry.get(object.class_name, where);
  const config = object.config ?? {};
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error(`${where} (${object.class_name}): config must be an object`);
  const args = configToArgs(config, [...BASE, ...entry.keys], `${where} (${object.class_name})`, INERT);
  for (const key of INERT) {
    const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const value = (config as Record<string, unknown>)[snake] ?? (config as Record<string, unknown>)[key];
    if (value != null && value !== false && !['dataFormat', 'renormMomentum', 'module', 'registeredName', 'sparse', 'ragged', 'optional'].includes(key)) {
      throw new Error(`${where} (${object.class_name}): '${snake}' is not supported; set it to null (received ${JSON.stringify(value)})`);
    }
  }
  // Input shape spellings: batch_input_shape / batch_shape [null, ...], input_shape [...], input_dim n.
  const batchShape = (args.batchInputShape ?? args.batchShape) as (number | null)[] | undefined;
  if (batchShape !== undefined) args.inputShape = batchShape.slice(1);
  if (args.inputDim !== undefined) args.inputShape = [args.inputDim];
  delete args.batchInputShape; delete args.batchShape; delete args.inputDim;
  if (typeof args.dtype === 'object' && args.dtype !== null) args.dtype = (args.dtype as { config?: { name?: string } }).config?.name ?? 'float32';
  if (args.dtype === null) delete args.dtype;
  return entry.create(args);
}
