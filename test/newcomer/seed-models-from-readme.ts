// A new user's script, written from README.md only (the API tour, the `datasets` bullet and the
// sentence naming the seed note's three models): load Fashion-MNIST, train the three models, print
// their accuracies. Run by test/newcomer.test.ts; `--quick` trains on 6,000 images.
import { datasets, setSeed, Sequential, layers, optimizers } from 'keel';

setSeed(42);
const quick = process.argv.includes('--quick');
const [[x, y], [xTest, yTest]] = datasets.fashionMnist.loadData(quick ? { limit: 6000, testLimit: 1000 } : {});

const selu = new Sequential([
  new layers.BatchNormalization({ inputShape: [784] }),
  new layers.Dense(100, { activation: 'selu', kernelInitializer: 'lecun_normal' }),
  new layers.AlphaDropout(0.2),
  new layers.Dense(100, { activation: 'selu', kernelInitializer: 'lecun_normal' }),
  new layers.AlphaDropout(0.2),
  new layers.Dense(10, { activation: 'softmax' }),
]);
const bnAfter = new Sequential([
  new layers.BatchNormalization({ inputShape: [784] }),
  new layers.Dense(100, { activation: 'elu', kernelInitializer: 'he_normal' }),
  new layers.BatchNormalization(),
  new layers.Dropout(0.2),
  new layers.Dense(100, { activation: 'elu', kernelInitializer: 'he_normal' }),
  new layers.BatchNormalization(),
  new layers.Dropout(0.2),
  new layers.Dense(10, { activation: 'softmax' }),
]);
const bnBefore = new Sequential([
  new layers.BatchNormalization({ inputShape: [784] }),
  new layers.Dense(100, { kernelInitializer: 'he_normal', useBias: false }),
  new layers.BatchNormalization(),
  new layers.Activation('elu'),
  new layers.Dropout(0.2),
  new layers.Dense(100, { kernelInitializer: 'he_normal', useBias: false }),
  new layers.BatchNormalization(),
  new layers.Activation('elu'),
  new layers.Dropout(0.2),
  new layers.Dense(10, { activation: 'softmax' }),
]);

for (const [name, model] of [
  ['selu', selu],
  ['bn-after', bnAfter],
  ['bn-before', bnBefore],
] as const) {
  model.compile({
    optimizer: new optimizers.SGD({ learningRate: 0.01, clipnorm: 1 }),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  const history = await model.fit(x, y, { epochs: 2, batchSize: 32, validationSplit: 0.1, verbose: 0 });
  const valAccuracy = history.history.val_accuracy!.at(-1)!;
  const { accuracy } = model.evaluate(xTest, yTest);
  console.log(`${name}: val_accuracy ${valAccuracy.toFixed(4)} test accuracy ${accuracy!.toFixed(4)}`);
}
