/**
 * Initializers by class, by Keras string ('he_normal', also 'heNormal') and by
 * Keras config object ({class_name, config}).
 * @example
 *   initializers.get('lecun_normal').sample([784, 100]);
 *   new initializers.HeNormal({ seed: 1 }).sample([100, 100]);
 */
import { Initializer } from './initializer.js';
import { Constant, Ones, Zeros } from './constant.js';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random.js';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  VarianceScaling,
} from './variance-scaling.js';
import { Identity, Orthogonal } from './orthogonal.js';
import { Registry } from '../registry.js';
import { configToArgs, isKerasObject, kerasConfig, type KerasObject } from '../keras-config.js';
import { formatValue } from '../../util/args.js';

export { Initializer, computeFans } from './initializer.js';
export { Constant, Ones, Zeros, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling };
export { GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, Identity, Orthogonal };
export { TRUNCATION_STD } from './variance-scaling.js';

/** Keras's string identifiers for initializers. */
export type InitializerIdentifier =
  | 'zeros'
  | 'ones'
  | 'constant'
  | 'random_normal'
  | 'random_uniform'
  | 'truncated_normal'
  | 'variance_scaling'
  | 'glorot_normal'
  | 'glorot_uniform'
  | 'he_normal'
  | 'he_uniform'
  | 'lecun_normal'
  | 'lecun_uniform'
  | 'orthogonal'
  | 'identity'
  | 'heNormal'
  | 'heUniform'
  | 'glorotNormal'
  | 'glorotUniform'
  | 'lecunNormal'
  | 'lecunUniform'
  | 'randomNormal'
  | 'randomUniform'
  | 'truncatedNormal'
  | 'varianceScaling';

interface Entry {
  create: (args: Record<string, unknown>) => Initializer;
  keys: readonly string[];
}

const registry = new Registry<Entry>('initializer');
const seedOnly = ['seed', 'inputAxes', 'outputAxes'];
registry.add('Zeros', { create: () => new Zeros(), keys: [] }, ['zero']);
registry.add('Ones', { create: () => new Ones(), keys: [] }, ['one']);
registry.add('Constant', { create: (a) => new Constant(a), keys: ['value'] });
registry.add('RandomNormal', { create: (a) => new RandomNormal(a), keys: ['mean', 'stddev', 'seed'] }, ['normal']);
registry.add('RandomUniform', { create: (a) => new RandomUniform(a), keys: ['minval', 'maxval', 'seed'] }, ['uniform']);
registry.add('TruncatedNormal', { create: (a) => new TruncatedNormal(a), keys: ['mean', 'stddev', 'seed'] });
registry.add('VarianceScaling', {
  create: (a) => new VarianceScaling(a),
  keys: ['scale', 'mode', 'distribution', 'seed', 'inputAxes', 'outputAxes'],
});
registry.add('GlorotNormal', { create: (a) => new GlorotNormal(a), keys: seedOnly });
registry.add('GlorotUniform', { create: (a) => new GlorotUniform(a), keys: seedOnly });
registry.add('HeNormal', { create: (a) => new HeNormal(a), keys: seedOnly });
registry.add('HeUniform', { create: (a) => new HeUniform(a), keys: seedOnly });
// TF.js spells the LeCun classes with a capital C.
registry.add('LecunNormal', { create: (a) => new LecunNormal(a), keys: seedOnly }, ['LeCunNormal']);
registry.add('LecunUniform', { create: (a) => new LecunUniform(a), keys: seedOnly }, ['LeCunUniform']);
registry.add('Orthogonal', { create: (a) => new Orthogonal(a), keys: ['gain', 'seed'] }, ['OrthogonalInitializer']);
registry.add('Identity', { create: (a) => new Identity(a), keys: ['gain'] }, ['IdentityInitializer']);

/** An initializer from a Keras name, a Keras config object, or an instance (returned as is). */
export function get(
  identifier: InitializerIdentifier | string | KerasObject | Initializer,
  where?: string,
): Initializer {
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') return registry.get(identifier, where).create({});
  if (isKerasObject(identifier)) {
    const entry = registry.get(identifier.class_name, where);
    const args = configToArgs(
      kerasConfig(identifier, where ?? 'initializers.get'),
      entry.keys,
      `${where ?? 'initializers.get'} (${identifier.class_name})`,
    );
    if (args.inputAxes != null || args.outputAxes != null)
      throw new Error(`${where ?? identifier.class_name}: input_axes/output_axes are not supported`);
    delete args.inputAxes;
    delete args.outputAxes;
    return entry.create(args);
  }
  throw new Error(
    `${where ?? 'initializers.get'}: expected an initializer name, a {class_name, config} object or an ` +
      `Initializer; received ${formatValue(identifier)}`,
  );
}

/** The Keras config object of an initializer. */
export function serialize(init: Initializer): KerasObject {
  return { class_name: init.className, config: init.getConfig() };
}

export function initializerNames(): readonly string[] {
  return registry.names();
}
