/**
 * Real data (opt-in: npm run test:slow): the 784-100×20-10 he_normal/elu
 * network (softmax output with glorot_uniform, zero biases), one epoch of SGD
 * (lr 0.01, batch 32) on the 60,000 Fashion-MNIST training images (pixels/255,
 * shuffled), must reach ≥ 81% accuracy on the 10,000 test images
 * (PyTorch on the same setup: 82.8–83.2%).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, layers, optimizers, setSeed, tensor } from '../src/index.js';
import { loadFashionMnist } from '../src/data/index.js';

test(
  'Fashion-MNIST, 20 × Dense(100, elu, he_normal), 1 epoch of SGD(0.01): test accuracy ≥ 81%',
  { timeout: 30 * 60_000 },
  async () => {
    const started = Date.now();
    const train = loadFashionMnist({ split: 'train' });
    const testSet = loadFashionMnist({ split: 'test' });
    assert.equal(train.numExamples, 60_000);
    assert.equal(testSet.numExamples, 10_000);
    setSeed(42);
    const stack: layers.Layer[] = [new layers.Flatten({ inputShape: [28, 28] })];
    for (let i = 0; i < 20; i++)
      stack.push(new layers.Dense(100, { activation: 'elu', kernelInitializer: 'he_normal' }));
    stack.push(new layers.Dense(10, { activation: 'softmax', kernelInitializer: 'glorot_uniform' }));
    const model = new Sequential(stack);
    model.compile({
      optimizer: new optimizers.SGD({ learningRate: 0.01 }),
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    // The training set is stored class by class: fit shuffles every epoch (shuffle defaults to true).
    await model.fit(tensor(train.x, [60_000, 28, 28]), tensor(train.y, [60_000]), {
      epochs: 1,
      batchSize: 32,
      verbose: 0,
      shuffle: true,
    });
    const result = model.evaluate(tensor(testSet.x, [10_000, 28, 28]), tensor(testSet.y, [10_000]), { batchSize: 256 });
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `Fashion-MNIST test accuracy ${(100 * result.accuracy!).toFixed(2)}%, loss ${result.loss!.toFixed(4)}, ` +
        `${seconds.toFixed(1)} s`,
    );
    assert.ok(result.accuracy! >= 0.81, `test accuracy ${result.accuracy}`);
  },
);
