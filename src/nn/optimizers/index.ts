/** Optimizers by class, by Keras name ('sgd', 'adam', ...) and by Keras config object. */
import { Optimizer } from './optimizer.js';
import { SGD, SGD_SPEC } from './sgd.js';
import { Adam, ADAM_SPEC } from './adam.js';
import { Nadam, NADAM_SPEC } from './nadam.js';
import { RMSprop, RMSPROP_SPEC } from './rmsprop.js';
import { AdamW, ADAMW_SPEC } from './adamw.js';
import { Adamax, ADAMAX_SPEC } from './adamax.js';
import { Adagrad, ADAGRAD_SPEC } from './adagrad.js';
import { Adadelta, ADADELTA_SPEC } from './adadelta.js';
import { Lion, LION_SPEC } from './lion.js';
import { deserialize as deserializeSchedule, type ScheduleClass } from './schedules/index.js';
import { formatValue } from '../../util/args.js';
import { Registry } from '../registry.js';
import { configToArgs, isKerasObject, kerasConfig, type KerasObject } from '../keras-config.js';

export { Optimizer, l2Norm, OPTIMIZER_SPEC, LEARNING_RATE_RULE, type OptimizerArgs } from './optimizer.js';
export { SGD, SGD_SPEC, type SGDArgs } from './sgd.js';
export { Adam, ADAM_SPEC, type AdamArgs } from './adam.js';
export { Nadam, NADAM_SPEC, type NadamArgs } from './nadam.js';
export { RMSprop, RMSPROP_SPEC, type RMSpropArgs } from './rmsprop.js';
export { AdamW, ADAMW_SPEC, type AdamWArgs } from './adamw.js';
export { Adamax, ADAMAX_SPEC, type AdamaxArgs } from './adamax.js';
export { Adagrad, ADAGRAD_SPEC, type AdagradArgs } from './adagrad.js';
export { Adadelta, ADADELTA_SPEC, type AdadeltaArgs } from './adadelta.js';
export { Lion, LION_SPEC, type LionArgs } from './lion.js';
export * as schedules from './schedules/index.js';
export { LearningRateSchedule } from './schedules/schedule.js';

export type OptimizerIdentifier =
  | 'sgd'
  | 'adam'
  | 'nadam'
  | 'rmsprop'
  | 'adamw'
  | 'adamax'
  | 'adagrad'
  | 'adadelta'
  | 'lion'
  | 'SGD'
  | 'Adam'
  | 'Nadam'
  | 'RMSprop'
  | 'AdamW'
  | 'Adamax'
  | 'Adagrad'
  | 'Adadelta'
  | 'Lion';

/** Keras keys accepted and ignored when they hold their "off" value. */
const inert = ['lossScaleFactor', 'gradientAccumulationSteps', 'decay', 'isLegacyOptimizer', 'jitCompile'];

interface Entry {
  create: (a: Record<string, unknown>) => Optimizer;
  keys: string[];
}
const registry = new Registry<Entry>('optimizer');
// Config keys (snake_case, converted to camelCase by configToArgs) are exactly the constructors' options.
registry.add('SGD', { create: (a) => new SGD(a), keys: Object.keys(SGD_SPEC) }, ['sgd']);
registry.add('Adam', { create: (a) => new Adam(a), keys: Object.keys(ADAM_SPEC) }, ['adam']);
registry.add('Nadam', { create: (a) => new Nadam(a), keys: Object.keys(NADAM_SPEC) }, ['nadam']);
registry.add('RMSprop', { create: (a) => new RMSprop(a), keys: Object.keys(RMSPROP_SPEC) }, ['rmsprop', 'RMSProp']);
registry.add('AdamW', { create: (a) => new AdamW(a), keys: Object.keys(ADAMW_SPEC) }, ['adamw']);
registry.add('Adamax', { create: (a) => new Adamax(a), keys: Object.keys(ADAMAX_SPEC) }, ['adamax']);
registry.add('Adagrad', { create: (a) => new Adagrad(a), keys: Object.keys(ADAGRAD_SPEC) }, ['adagrad']);
registry.add('Adadelta', { create: (a) => new Adadelta(a), keys: Object.keys(ADADELTA_SPEC) }, ['adadelta']);
registry.add('Lion', { create: (a) => new Lion(a), keys: Object.keys(LION_SPEC) }, ['lion']);

/** 'beta_1' → 'beta1' (Keras's config key vs our camelCase option). */
function normalizeKeys(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) out[k.replace(/_(\d)/g, '$1')] = v;
  return out;
}

/**
 * An optimizer from a Keras name, a {class_name, config} object, or an instance. A config's learning_rate
 * may be a schedule's {class_name, config} (as Keras writes it); `customObjects` holds custom schedule classes.
 */
export function get(
  identifier: OptimizerIdentifier | string | KerasObject | Optimizer,
  where = 'optimizer',
  customObjects: Readonly<Record<string, ScheduleClass>> = {},
): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') return registry.get(identifier, where).create({});
  if (isKerasObject(identifier)) {
    const entry = registry.get(identifier.class_name, where);
    const config = normalizeKeys(kerasConfig(identifier, where));
    for (const key of Object.keys(config)) {
      const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
      const value = config[key];
      const off =
        value === null ||
        value === false ||
        value === undefined ||
        camel === 'emaMomentum' ||
        (camel === 'decay' && value === 0);
      if (inert.includes(camel) && !off)
        throw new Error(`${where} (${identifier.class_name}): '${key}' = ${formatValue(value)} is not supported`);
    }
    const args = configToArgs(config, entry.keys, `${where} (${identifier.class_name})`, inert);
    if (isKerasObject(args.learningRate))
      args.learningRate = deserializeSchedule(
        args.learningRate,
        customObjects,
        `${where} (${identifier.class_name}) learning_rate`,
      );
    return entry.create(args);
  }
  throw new Error(
    `${where}: expected an optimizer name, a {class_name, config} object or an Optimizer; received ` +
      `${formatValue(identifier)}`,
  );
}
