/**
 * The seed's story as run configs: the same 784 → 20×Dense(100) → 10 network
 * on Fashion-MNIST, broken and cured several ways. Setup matches the PyTorch
 * reference runs (pixels in [0, 1], zero biases, glorot_uniform softmax output,
 * SGD lr 0.01, batch 32, shuffled).
 */

export interface DemoVariant {
  key: string;
  label: string;
  /** What the seed says should happen. */
  expectation: string;
  config: Record<string, unknown>;
}

const DEPTH = 20;
const WIDTH = 100;

function hidden(layers: Record<string, unknown>[]): Record<string, unknown> {
  return { repeat: DEPTH, layers };
}

function variant(
  key: string,
  label: string,
  expectation: string,
  block: Record<string, unknown>[],
  opts: { standardize?: boolean; optimizer?: Record<string, unknown> } = {},
): DemoVariant {
  return {
    key,
    label,
    expectation,
    config: {
      seed: 42,
      data: { dataset: 'fashion-mnist', standardize: opts.standardize ?? false },
      model: [hidden(block), { type: 'Dense', units: 10, activation: 'softmax' }],
      compile: {
        optimizer: { class_name: 'SGD', config: { learning_rate: 0.01, ...opts.optimizer } },
        loss: 'sparse_categorical_crossentropy',
        metrics: ['accuracy'],
      },
      fit: { epochs: 1, batch_size: 32 },
    },
  };
}

const dense = (activation: string | null, kernel: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'Dense',
  units: WIDTH,
  ...(activation ? { activation } : {}),
  kernel_initializer: kernel,
  ...extra,
});
const normal1 = { class_name: 'RandomNormal', config: { stddev: 1.0 } };

export const DEMO_VARIANTS: readonly DemoVariant[] = [
  variant('sigmoid-glorot', 'sigmoid + glorot_uniform', 'gradients vanish: stays at chance', [
    dense('sigmoid', 'glorot_uniform'),
  ]),
  variant('sigmoid-normal1', 'sigmoid + N(0,1)', 'saturation: learns slowly', [dense('sigmoid', normal1)]),
  variant('tanh-glorot', 'tanh + glorot_uniform', 'trains', [dense('tanh', 'glorot_uniform')]),
  variant('elu-he', 'elu + he_normal', 'trains well', [dense('elu', 'he_normal')]),
  variant('bn-elu-he', 'he_normal + BN + elu', 'trains well', [
    dense(null, 'he_normal', { use_bias: false }),
    { type: 'BatchNormalization' },
    { type: 'Activation', activation: 'elu' },
  ]),
  variant(
    'selu-lecun',
    'selu + lecun_normal (standardized)',
    'self-normalizes: trains well',
    [dense('selu', 'lecun_normal')],
    { standardize: true },
  ),
  variant(
    'relu-normal1-clip',
    'relu + N(0,1) + clipnorm 1',
    'exploding activations; clipping bounds each step',
    [dense('relu', normal1)],
    { optimizer: { clipnorm: 1.0 } },
  ),
];
