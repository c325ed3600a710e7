/**
 * Losses by Keras name. Each takes (yTrue, yPred) and returns a scalar tensor
 * averaged over the batch. Sparse labels are integer class ids of shape [batch].
 */
import type { Tensor } from '../tensor/tensor.js';
import { binaryCrossentropy, categoricalCrossentropy, meanSquaredError } from '../ops/losses.js';
import { Registry, unknownNameError } from './registry.js';
import { isKerasObject, kerasConfig, type KerasObject } from './keras-config.js';
import { formatValue } from '../util/args.js';

/**
 * The names Keras 3 accepts (`keras/src/losses/__init__.py` ALL_OBJECTS_DICT: class names,
 * function names, and the aliases mse/MSE, bce/BCE), plus TF.js's camelCase function names.
 */
export type LossIdentifier =
  | 'sparse_categorical_crossentropy'
  | 'categorical_crossentropy'
  | 'binary_crossentropy'
  | 'mean_squared_error'
  | 'SparseCategoricalCrossentropy'
  | 'CategoricalCrossentropy'
  | 'BinaryCrossentropy'
  | 'MeanSquaredError'
  | 'mse'
  | 'MSE'
  | 'bce'
  | 'BCE'
  | 'sparseCategoricalCrossentropy'
  | 'categoricalCrossentropy'
  | 'binaryCrossentropy'
  | 'meanSquaredError';

export interface LossFunction {
  (yTrue: Tensor, yPred: Tensor): Tensor;
  readonly lossName: string;
}

function named(lossName: string, fn: (yTrue: Tensor, yPred: Tensor) => Tensor): LossFunction {
  Object.defineProperty(fn, 'lossName', { value: lossName });
  return fn as LossFunction;
}

export const sparseCategoricalCrossentropy = (yTrue: Tensor, yPred: Tensor, fromLogits = false): Tensor =>
  categoricalCrossentropy(yTrue, yPred, true, fromLogits);
export const categoricalCrossentropyLoss = (yTrue: Tensor, yPred: Tensor, fromLogits = false): Tensor =>
  categoricalCrossentropy(yTrue, yPred, false, fromLogits);
export const binaryCrossentropyLoss = (yTrue: Tensor, yPred: Tensor, fromLogits = false): Tensor =>
  binaryCrossentropy(yTrue, yPred, fromLogits);
export const meanSquaredErrorLoss = (yTrue: Tensor, yPred: Tensor): Tensor => meanSquaredError(yTrue, yPred);

/** A loss Keel implements, and the keys of its Keras class config (`keras/src/losses/losses.py` __init__ arguments). */
interface LossEntry {
  create: (fromLogits: boolean) => LossFunction;
  acceptsLogits: boolean;
  configKeys: readonly string[];
}
const CROSSENTROPY_KEYS = ['from_logits', 'label_smoothing', 'axis', 'reduction', 'name', 'dtype'];
const registry = new Registry<LossEntry>('loss');
registry.add(
  'sparse_categorical_crossentropy',
  {
    acceptsLogits: true,
    configKeys: ['from_logits', 'ignore_class', 'reduction', 'axis', 'name', 'dtype'],
    create: (l) => named('sparse_categorical_crossentropy', (t, p) => sparseCategoricalCrossentropy(t, p, l)),
  },
  ['SparseCategoricalCrossentropy'],
);
registry.add(
  'categorical_crossentropy',
  {
    acceptsLogits: true,
    configKeys: CROSSENTROPY_KEYS,
    create: (l) => named('categorical_crossentropy', (t, p) => categoricalCrossentropyLoss(t, p, l)),
  },
  ['CategoricalCrossentropy'],
);
registry.add(
  'binary_crossentropy',
  {
    acceptsLogits: true,
    configKeys: CROSSENTROPY_KEYS,
    create: (l) => named('binary_crossentropy', (t, p) => binaryCrossentropyLoss(t, p, l)),
  },
  ['BinaryCrossentropy', 'bce', 'BCE'],
);
registry.add(
  'mean_squared_error',
  {
    acceptsLogits: false,
    configKeys: ['reduction', 'name', 'dtype'],
    create: () => named('mean_squared_error', meanSquaredErrorLoss),
  },
  ['MeanSquaredError', 'mse', 'MSE'],
);

/** The values Keel implements for the other config keys (Keras's defaults). */
const SUPPORTED_VALUES: Record<string, readonly unknown[]> = {
  reduction: ['sum_over_batch_size'],
  dtype: [null, 'float32'],
  label_smoothing: [0],
  axis: [-1],
  ignore_class: [null],
};

function fromConfig(identifier: KerasObject, fromLogits: boolean, where: string): LossFunction {
  const entry = registry.get(identifier.class_name, where);
  const who = `${where} (${identifier.class_name})`;
  let logits: boolean | undefined;
  for (const [key, value] of Object.entries(kerasConfig(identifier, where))) {
    if (!entry.configKeys.includes(key)) throw unknownNameError('config key', key, entry.configKeys, who);
    if (key === 'from_logits') {
      if (typeof value !== 'boolean')
        throw new Error(`${who}: from_logits must be true or false; received ${formatValue(value)}`);
      logits = value;
    } else if (key !== 'name' && !SUPPORTED_VALUES[key]!.includes(value as never)) {
      const only = SUPPORTED_VALUES[key]!.map((v) => JSON.stringify(v)).join(' or ');
      throw new Error(`${who}: ${key} = ${formatValue(value)} is not supported (only ${only})`);
    }
  }
  if (logits === false && fromLogits)
    throw new Error(`${who}: config from_logits = false contradicts fromLogits = true`);
  return entry.create(logits ?? fromLogits);
}

/**
 * A loss by Keras name (function name 'sparse_categorical_crossentropy', class name
 * 'SparseCategoricalCrossentropy', alias 'mse') or Keras config
 * ({class_name: 'SparseCategoricalCrossentropy', config: {from_logits: true}}).
 * `fromLogits` treats predictions as logits (the cross-entropies only).
 */
export function get(
  identifier: LossIdentifier | string | KerasObject | LossFunction,
  fromLogits = false,
  where = 'loss',
): LossFunction {
  if (typeof identifier === 'function') return identifier;
  if (isKerasObject(identifier)) return fromConfig(identifier, fromLogits, where);
  if (typeof identifier !== 'string') {
    const what = 'a loss name, a {class_name, config} object or a loss function';
    throw new Error(`${where}: expected ${what}; received ${formatValue(identifier)}`);
  }
  const entry = registry.get(identifier, where);
  if (fromLogits && !entry.acceptsLogits)
    throw new Error(`${where}: fromLogits applies to the cross-entropies, not to '${identifier}'`);
  return entry.create(fromLogits);
}

/** The canonical (Keras function) names of the losses Keel implements. */
export function lossNames(): readonly string[] {
  return registry.names();
}
