/**
 * `optimizers.schedules`: the Keras 3 learning-rate schedules, and get / serialize / deserialize for
 * their {class_name, config} objects (snake_case config, as Keras writes it).
 */
import { LearningRateSchedule } from './schedule.js';
import {
  ExponentialDecay,
  EXPONENTIAL_DECAY_SPEC,
  InverseTimeDecay,
  INVERSE_TIME_DECAY_SPEC,
} from './exponential-decay.js';
import { PiecewiseConstantDecay, PIECEWISE_CONSTANT_DECAY_SPEC } from './piecewise-constant-decay.js';
import { PolynomialDecay, POLYNOMIAL_DECAY_SPEC } from './polynomial-decay.js';
import { CosineDecay, COSINE_DECAY_SPEC, CosineDecayRestarts, COSINE_DECAY_RESTARTS_SPEC } from './cosine-decay.js';
import { formatValue, type ArgSpec } from '../../../util/args.js';
import { Registry } from '../../registry.js';
import { fromRegistry, isKerasObject, withCustomObjects, type Factory, type KerasObject } from '../../keras-config.js';

export { LearningRateSchedule } from './schedule.js';
export {
  ExponentialDecay,
  EXPONENTIAL_DECAY_SPEC,
  InverseTimeDecay,
  INVERSE_TIME_DECAY_SPEC,
  type ExponentialDecayArgs,
  type InverseTimeDecayArgs,
} from './exponential-decay.js';
export {
  PiecewiseConstantDecay,
  PIECEWISE_CONSTANT_DECAY_SPEC,
  type PiecewiseConstantDecayArgs,
} from './piecewise-constant-decay.js';
export { PolynomialDecay, POLYNOMIAL_DECAY_SPEC, type PolynomialDecayArgs } from './polynomial-decay.js';
export {
  CosineDecay,
  COSINE_DECAY_SPEC,
  CosineDecayRestarts,
  COSINE_DECAY_RESTARTS_SPEC,
  type CosineDecayArgs,
  type CosineDecayRestartsArgs,
} from './cosine-decay.js';

/** A schedule class that can be rebuilt from its camelCase options (custom schedules included). */
export type ScheduleClass = new (args: never) => LearningRateSchedule;

const registry = new Registry<Factory<LearningRateSchedule>>('learning rate schedule');
function add(
  name: string,
  create: Factory<LearningRateSchedule>['create'],
  spec: ArgSpec,
  aliases: string[] = [],
): void {
  registry.add(name, { create, keys: Object.keys(spec) }, aliases);
}
add('ExponentialDecay', (a) => new ExponentialDecay(a as never), EXPONENTIAL_DECAY_SPEC);
add('PiecewiseConstantDecay', (a) => new PiecewiseConstantDecay(a as never), PIECEWISE_CONSTANT_DECAY_SPEC);
add('PolynomialDecay', (a) => new PolynomialDecay(a as never), POLYNOMIAL_DECAY_SPEC);
add('InverseTimeDecay', (a) => new InverseTimeDecay(a as never), INVERSE_TIME_DECAY_SPEC);
add('CosineDecay', (a) => new CosineDecay(a as never), COSINE_DECAY_SPEC);
add('CosineDecayRestarts', (a) => new CosineDecayRestarts(a as never), COSINE_DECAY_RESTARTS_SPEC);

/** The names `get` and `deserialize` accept. */
export function scheduleNames(): readonly string[] {
  return registry.names();
}

/** Keras `schedules.serialize`: {module, class_name, config, registered_name}. */
export function serialize(schedule: LearningRateSchedule): KerasObject {
  return {
    module: 'keras.optimizers.schedules',
    class_name: schedule.className,
    config: schedule.getConfig(),
    registered_name: null,
  };
}

/**
 * Keras `schedules.deserialize`: a schedule from {class_name, config}. `customObjects` maps the class name
 * of a custom schedule to its class, which is given the config's keys in camelCase.
 */
export function deserialize(
  object: KerasObject,
  customObjects: Readonly<Record<string, ScheduleClass>> = {},
  where = 'schedules.deserialize',
): LearningRateSchedule {
  if (!isKerasObject(object))
    throw new Error(`${where}: expected a {class_name, config} object; received ${formatValue(object)}`);
  // The same custom-object scope the loaders use (a custom class gets its config camelCased, as cls(**config)).
  return withCustomObjects(customObjects, () => fromRegistry(registry, object, where, where, LearningRateSchedule));
}

/** A schedule from an instance (returned as is) or a {class_name, config} object. */
export function get(
  identifier: LearningRateSchedule | KerasObject,
  customObjects: Readonly<Record<string, ScheduleClass>> = {},
  where = 'schedules.get',
): LearningRateSchedule {
  if (identifier instanceof LearningRateSchedule) return identifier;
  if (isKerasObject(identifier)) return deserialize(identifier, customObjects, where);
  throw new Error(
    `${where}: expected a LearningRateSchedule or a {class_name, config} object; received ${formatValue(identifier)}`,
  );
}
