/**
 * The three Keras models of the seed note ("Vanishing & Exploding Gradient",
 * after Géron's Hands-On ML), ported line by line to Keel for 784-pixel inputs:
 *   1. the self-normalizing stack: SELU + LeCun normal + AlphaDropout;
 *   2. BatchNormalization after the activation;
 *   3. BatchNormalization before the activation (Dense without bias).
 * Prints each summary, trains each for one epoch on Fashion-MNIST (10% held out for validation)
 * and prints its validation and test accuracy.
 *
 * Run: node --import tsx examples/seed-models.ts            (60,000 images; --quick: 6,000)
 */
import { Sequential, datasets, layers, optimizers, setSeed } from 'keel';

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

const quick = process.argv.includes('--quick');
// Shuffled with a seed, pixels in [0, 1], each image flattened to 784 values.
const [[x, y], [xTest, yTest]] = datasets.fashionMnist.loadData(quick ? { limit: 6000, testLimit: 1000 } : {});

for (const model of [modelSelu, modelBnAfterActivation, modelBnBeforeActivation]) {
  model.summary();
  // The seed's gradient-clipping line: keras.optimizers.SGD(clipnorm=1.0).
  model.compile({
    optimizer: new optimizers.SGD({ learningRate: 0.01, clipnorm: 1.0 }),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  const history = await model.fit(x, y, { epochs: 1, batchSize: 32, validationSplit: 0.1, verbose: 0 });
  const h = history.history;
  const test = model.evaluate(xTest, yTest);
  if (!Number.isFinite(h.loss![0]!)) throw new Error(`${model.name}: training produced a non-finite loss`);
  console.log(
    `${model.name}: 1 epoch, loss ${h.loss![0]!.toFixed(4)}, accuracy ${h.accuracy![0]!.toFixed(4)}, ` +
      `val_accuracy ${h.val_accuracy![0]!.toFixed(4)}, test accuracy ${test['accuracy']!.toFixed(4)}\n`,
  );
}
