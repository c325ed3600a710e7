/**
 * The three Keras models of the seed note ("Vanishing & Exploding Gradient",
 * after Géron's Hands-On ML), ported line by line to Keel for 784-pixel inputs:
 *   1. the self-normalizing stack: SELU + LeCun normal + AlphaDropout;
 *   2. BatchNormalization after the activation;
 *   3. BatchNormalization before the activation (Dense without bias).
 * Prints each summary and trains each for one epoch on generated data.
 *
 * Run: node --import tsx examples/seed-models.ts
 */
import { Sequential, layers, optimizers, setSeed, Random, tensor, type Tensor } from '../src/index.js';

const { Dense, BatchNormalization, Activation, Dropout, AlphaDropout } = layers;

setSeed(42);

// keras.models.Sequential([BatchNormalization(), Dense(activation='selu', kernel_initializer='lecun_normal'),
// AlphaDropout(0.2), ...])
const modelSelu = new Sequential(
  [
    new BatchNormalization({ inputShape: [784] }),

    new Dense(100, { activation: 'selu', kernelInitializer: 'lecun_normal' }),
    new AlphaDropout(0.2),

    new Dense(100, { activation: 'selu', kernelInitializer: 'lecun_normal' }),
    new AlphaDropout(0.2),

    new Dense(10, { activation: 'softmax' }),
  ],
  { name: 'model_selu' },
);

const modelBnAfterActivation = new Sequential(
  [
    new BatchNormalization({ inputShape: [784] }),

    new Dense(100, { activation: 'elu', kernelInitializer: 'he_normal' }),
    new BatchNormalization(),
    new Dropout(0.2),

    new Dense(100, { activation: 'elu', kernelInitializer: 'he_normal' }),
    new BatchNormalization(),
    new Dropout(0.2),

    new Dense(10, { activation: 'softmax' }), // default kernel_initializer: 'glorot_uniform'
  ],
  { name: 'model_bn_after_activation' },
);

const modelBnBeforeActivation = new Sequential(
  [
    new BatchNormalization({ inputShape: [784] }),

    new Dense(100, { kernelInitializer: 'he_normal', useBias: false }),
    new BatchNormalization(),
    new Activation('elu'),
    new Dropout(0.2),

    new Dense(100, { kernelInitializer: 'he_normal', useBias: false }),
    new BatchNormalization(),
    new Activation('elu'),
    new Dropout(0.2),

    new Dense(10, { activation: 'softmax' }), // default kernel_initializer: 'glorot_uniform'
  ],
  { name: 'model_bn_before_activation' },
);

/** Generated data: 784 N(0,1) "pixels", 10 classes from a fixed random linear teacher. */
function generatedData(n: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Random(seed);
  const teacher = Float32Array.from({ length: 784 * 10 }, () => rng.normal());
  const x = new Float32Array(n * 784),
    y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 784; j++) x[i * 784 + j] = rng.normal();
    let best = 0,
      bestScore = -Infinity;
    for (let c = 0; c < 10; c++) {
      let s = 0;
      for (let j = 0; j < 784; j++) s += x[i * 784 + j]! * teacher[j * 10 + c]!;
      if (s > bestScore) {
        bestScore = s;
        best = c;
      }
    }
    y[i] = best;
  }
  return { x: tensor(x, [n, 784]), y: tensor(y, [n]) };
}

const { x, y } = generatedData(1024, 7);

for (const model of [modelSelu, modelBnAfterActivation, modelBnBeforeActivation]) {
  model.summary();
  // The seed's gradient-clipping line: keras.optimizers.SGD(clipnorm=1.0).
  model.compile({
    optimizer: new optimizers.SGD({ learningRate: 0.01, clipnorm: 1.0 }),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  const history = await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
  const loss = history.history.loss![0]!,
    accuracy = history.history.accuracy![0]!;
  if (!Number.isFinite(loss)) throw new Error(`${model.name}: training produced a non-finite loss`);
  console.log(`${model.name}: 1 epoch, loss ${loss.toFixed(4)}, accuracy ${accuracy.toFixed(4)}\n`);
}
