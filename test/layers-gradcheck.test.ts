/**
 * Every layer's gradients through a small Sequential model (training mode,
 * cross-entropy loss) against central finite differences, w.r.t. every
 * trainable weight. Dropout layers use a fixed seed that is re-set before each
 * evaluation so every evaluation sees the same mask.
 */
import { test } from 'node:test';
import { Sequential, layers, losses, setSeed, initializers, tensor } from '../src/index.js';
import { gradcheck, randomConstant } from './helpers/gradcheck.js';

const x = randomConstant([6, 5], 1);
const y = tensor([0, 2, 1, 1, 0, 2]);
const loss = losses.get('sparse_categorical_crossentropy');

function check(name: string, middle: () => layers.Layer[], resetMasks?: () => void): void {
  test(`${name}: gradients of every trainable weight = central differences`, () => {
    setSeed(10);
    const model = new Sequential([
      new layers.Dense(4, {
        activation: 'tanh',
        inputShape: [5],
        biasInitializer: new initializers.RandomNormal({ stddev: 0.3, seed: 1 }),
      }),
      ...middle(),
      new layers.Dense(3, { activation: 'softmax' }),
    ]);
    // Non-trivial slopes and BN parameters so every weight has a visible gradient.
    for (const w of model.trainableWeights)
      if (/alpha|gamma|beta/.test(w.name))
        for (let i = 0; i < w.size; i++) w.data[i] = (w.name.includes('gamma') ? 1 : 0) + (0.2 * (i + 1)) / w.size;
    const f = () => {
      resetMasks?.();
      return loss(y, model.apply(x, { training: true }));
    };
    gradcheck(f, model.trainableWeights, { h: 1e-2, rtol: 2e-2, atol: 1e-3 });
  });
}

check('Dense (+ softmax output)', () => [new layers.Dense(4, { activation: 'selu' })]);
check('Activation(swish)', () => [new layers.Activation('swish')]);
check('BatchNormalization', () => [new layers.BatchNormalization()]);
check('LeakyReLU', () => [new layers.LeakyReLU({ negativeSlope: 0.2 })]);
check('PReLU', () => [new layers.PReLU()]);
check('ELU', () => [new layers.ELU({ alpha: 0.7 })]);
check('Flatten', () => [new layers.Flatten()]);
{
  let d: layers.Dropout | null = null;
  check(
    'Dropout (fixed mask)',
    () => [(d = new layers.Dropout({ rate: 0.3, seed: 5 }))],
    () => d!.random.reseed(5),
  );
}
{
  let d: layers.AlphaDropout | null = null;
  check(
    'AlphaDropout (fixed mask)',
    () => [new layers.Activation('selu'), (d = new layers.AlphaDropout({ rate: 0.3, seed: 5 }))],
    () => d!.random.reseed(5),
  );
}
