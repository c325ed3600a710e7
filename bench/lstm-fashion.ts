/**
 * Must-show 2 of issue 13, Keel's side: LSTM(64) → Dense(10, softmax) on sequential Fashion-MNIST (28 rows as 28
 * steps of 28 pixels/255), Adam 1e-3, batch 64, 1 epoch on 10,000 training images (stratified: 1,000 per class,
 * shuffled by fit), test accuracy on the 10,000 test images, for the seeds given.
 *   npx tsx bench/lstm-fashion.ts [seed ...]      (PyTorch: /usr/bin/python3 bench/lstm_fashion_torch.py [seed ...])
 */
import { Sequential, layers, optimizers, setSeed, tensor } from '../src/index.js';
import { loadFashionMnist } from '../src/data/index.js';

const seeds = process.argv.slice(2).map(Number);
const train = loadFashionMnist({ split: 'train', limit: 10_000 });
const test = loadFashionMnist({ split: 'test' });
for (const seed of seeds.length > 0 ? seeds : [1, 2, 3]) {
  setSeed(seed);
  const model = new Sequential([
    new layers.LSTM(64, { inputShape: [28, 28] }),
    new layers.Dense(10, { activation: 'softmax' }),
  ]);
  model.compile({
    optimizer: new optimizers.Adam({ learningRate: 1e-3 }),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  const t0 = performance.now();
  await model.fit(tensor(train.x, [train.numExamples, 28, 28]), tensor(train.y, [train.numExamples]), {
    epochs: 1,
    batchSize: 64,
    verbose: 0,
    shuffle: true,
  });
  const seconds = (performance.now() - t0) / 1000;
  const r = model.evaluate(tensor(test.x, [test.numExamples, 28, 28]), tensor(test.y, [test.numExamples]), {
    batchSize: 500,
  });
  console.log(
    JSON.stringify({ engine: 'keel', seed, testAccuracy: r.accuracy, testLoss: r.loss, trainSeconds: seconds }),
  );
}
