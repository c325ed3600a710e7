/**
 * Keel initializer configs → the TF.js / tf.keras 2 dialect (keras-semantics.md §9.3).
 * TF.js has no LecunNormal/LecunUniform classes and its VarianceScaling rejects
 * 'untruncated_normal', so every Glorot/He/LeCun preset is written as the
 * VarianceScaling it stands for, and an untruncated VarianceScaling becomes the
 * RandomNormal with the same standard deviation for that weight's shape.
 * (Initializer configs only matter when a model is re-initialised: TF.js zeroes
 * initializers when it loads weights, §9.2 step 4.)
 */
import type { KerasObject } from '../keras-config.js';
import { computeFans } from '../initializers/index.js';

/** What each Keras preset means (Keras 3 `random_initializers.py`). */
const PRESETS: Record<string, { scale: number; mode: string; distribution: string }> = {
  GlorotUniform: { scale: 1, mode: 'fan_avg', distribution: 'uniform' },
  GlorotNormal: { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' },
  HeUniform: { scale: 2, mode: 'fan_in', distribution: 'uniform' },
  HeNormal: { scale: 2, mode: 'fan_in', distribution: 'truncated_normal' },
  LecunUniform: { scale: 1, mode: 'fan_in', distribution: 'uniform' },
  LecunNormal: { scale: 1, mode: 'fan_in', distribution: 'truncated_normal' },
};

/** Classes TF.js reads under the same name and keys. */
const SAME_IN_TFJS = new Set([
  'Zeros',
  'Ones',
  'Constant',
  'RandomNormal',
  'RandomUniform',
  'TruncatedNormal',
  'Orthogonal',
  'Identity',
]);

/**
 * The TF.js-dialect config of an initializer, given its Keel config and the
 * shape of the weight it initializes (needed only for untruncated_normal).
 */
export function exportInitializer(init: KerasObject, weightShape: number[] | null, where: string): KerasObject {
  const config = { ...(init.config ?? {}) };
  const preset = PRESETS[init.class_name];
  if (preset !== undefined) return exportVarianceScaling({ ...preset, seed: config.seed ?? null }, weightShape, where);
  if (init.class_name === 'VarianceScaling') return exportVarianceScaling(config, weightShape, where);
  if (SAME_IN_TFJS.has(init.class_name)) return { class_name: init.class_name, config };
  throw new Error(`${where}: initializer '${init.class_name}' has no TensorFlow.js equivalent`);
}

function exportVarianceScaling(
  config: Record<string, unknown>,
  weightShape: number[] | null,
  where: string,
): KerasObject {
  const scale = config.scale as number,
    mode = config.mode as string,
    seed = config.seed ?? null;
  if (config.distribution !== 'untruncated_normal') {
    return { class_name: 'VarianceScaling', config: { scale, mode, distribution: config.distribution, seed } };
  }
  // TF.js rejects 'untruncated_normal': N(0, s) is RandomNormal with stddev sqrt(s), s = scale/max(1, n).
  if (weightShape === null)
    throw new Error(
      `${where}: VarianceScaling(untruncated_normal) needs the weight's shape to be written for TensorFlow.js; ` +
        `build the model first`,
    );
  const { fanIn, fanOut } = computeFans(weightShape);
  const n = mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
  return { class_name: 'RandomNormal', config: { mean: 0, stddev: Math.sqrt(scale / Math.max(1, n)), seed } };
}
