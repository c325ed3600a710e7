/**
 * Activations in the TF.js layers format (tf.keras 2 dialect). What TF.js cannot
 * represent is mapped when an exact equivalent exists and refused otherwise
 * (never silently changed):
 *  - 'swish'            → written 'swish' (Keras 3's 'silu'; TF.js knows only 'swish')
 *  - 'gelu_approximate' → refused: TF.js registers the tanh approximation as 'gelu_new',
 *                         but its loader camelCases string values to 'geluNew' and then
 *                         fails ("Unknown activation: geluNew", tfjs-layers 4.22)
 *  - 'leaky_relu'       → a LeakyReLU layer (TF.js has no such activation string):
 *                         Activation('leaky_relu') becomes LeakyReLU with the same name;
 *                         Dense(..., 'leaky_relu') becomes Dense(linear) followed by
 *                         LeakyReLU '<name>_leaky_relu' (same function, one layer more)
 *  - 'hard_sigmoid'     → refused: Keel's is Keras 3's clip(x/6 + 1/2, 0, 1), while TF.js
 *                         and tf.keras 2 read the same name as clip(0.2x + 1/2, 0, 1)
 *  - 'hard_sigmoid_keras2' → written 'hard_sigmoid' (that clip(0.2x + 1/2, 0, 1))
 *  - 'exponential'      → refused: unknown to TF.js
 * An activation given as a layer object (LeakyReLU with its own slope) is written as that layer.
 */
import { activationNames, get, type ActivationSpec } from '../activations.js';

const hasName = (name: string) => activationNames().includes(name);

export interface LayerEntry {
  class_name: string;
  config: Record<string, unknown>;
}

/** Activation names TF.js 4.x reads with the same meaning as Keel (TF.js `activation_config.ts`). */
const TFJS_ACTIVATIONS = new Set([
  'linear',
  'relu',
  'elu',
  'selu',
  'sigmoid',
  'softmax',
  'softplus',
  'softsign',
  'tanh',
  'swish',
  'gelu',
]);

/** The TF.js name for a Keel activation, or null for leaky_relu (written as a layer); throws when impossible. */
function tfjsName(name: string, where: string): string | null {
  if (TFJS_ACTIVATIONS.has(name)) return name;
  if (name === 'hard_sigmoid_keras2') return 'hard_sigmoid'; // the very function TF.js calls hard_sigmoid
  if (name === 'leaky_relu') return null;
  if (name === 'gelu_approximate') {
    throw new Error(
      `${where}: activation 'gelu_approximate' (tanh approximation) cannot be saved for TensorFlow.js: TF.js ` +
        `calls it 'gelu_new' but its model loader turns that name into 'geluNew' and rejects it (tfjs-layers ` +
        `4.22). Use 'gelu' (exact), which TF.js reads`,
    );
  }
  if (name === 'hard_sigmoid') {
    throw new Error(
      `${where}: activation 'hard_sigmoid' cannot be saved for TensorFlow.js: Keel's hard_sigmoid is Keras 3's ` +
        `clip(x/6 + 1/2, 0, 1), but TF.js and tf.keras 2 read 'hard_sigmoid' as clip(0.2·x + 1/2, 0, 1), so the ` +
        `loaded model would compute a different function. Use 'sigmoid' or 'hard_sigmoid_keras2' (TF.js's own), ` +
        `or keep the model in Keel`,
    );
  }
  throw new Error(
    `${where}: activation '${name}' is not available in TensorFlow.js (it knows ` +
      `${[...TFJS_ACTIVATIONS].join(', ')}), so the model cannot be saved in the TF.js layers format`,
  );
}

/** A unique name not in `taken` (which it then holds). */
export function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

/** The LeakyReLU layer entry computing a leaky_relu activation of slope `spec.param`. */
function leakyEntry(name: string, trainable: unknown, spec: ActivationSpec): LayerEntry {
  return { class_name: 'LeakyReLU', config: { name, trainable, dtype: 'float32', alpha: spec.param } };
}

/**
 * Entries for a layer whose config has an `activation` (Dense, Activation): the
 * activation rewritten for TF.js; a leaky_relu becomes a LeakyReLU layer — the layer
 * itself when `replaces` (an Activation layer), otherwise one more layer after it.
 */
export function tfjsActivationEntries(
  layer: { className: string; name: string; activationSpec(): ActivationSpec | null },
  config: Record<string, unknown>,
  taken: Set<string>,
  replaces = false,
): LayerEntry[] {
  const where = `saveModel: layer '${layer.name}' (${layer.className})`;
  const spec = layer.activationSpec();
  if (spec === null) return [{ class_name: layer.className, config }];
  // A layer object used as an activation is written by name when the name means the same function.
  const sameAsName = spec.config === undefined || (hasName(spec.name) && get(spec.name).spec.param === spec.param);
  if (!sameAsName && spec.name !== 'leaky_relu') {
    throw new Error(
      `${where}: an activation given as a ${spec.config!.class_name} layer object with these settings cannot be ` +
        `written in the TF.js layers format; add the ${spec.config!.class_name} as its own layer instead`,
    );
  }
  const name = tfjsName(spec.name, where);
  if (name !== null) return [{ class_name: layer.className, config: { ...config, activation: name } }];
  if (replaces) return [leakyEntry(layer.name, config.trainable, spec)];
  return [
    { class_name: layer.className, config: { ...config, activation: 'linear' } },
    leakyEntry(uniqueName(`${layer.name}_leaky_relu`, taken), config.trainable, spec),
  ];
}
