/**
 * The variance theory on convolutions, against measurement at step 0: 10 Conv2D layers ('valid', so no border
 * effects) on Gaussian images. Predicted output variance within 2× of the measured one at every conv layer (the fan
 * includes the receptive field: a theory using cin alone would be off by 9× per layer), and the first/last
 * kernel-gradient ratio within 10×.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential } from '../nn/model.js';
import { Conv2D } from '../nn/layers/conv2d.js';
import { Dense } from '../nn/layers/dense.js';
import { Flatten } from '../nn/layers/flatten.js';
import { MaxPooling2D } from '../nn/layers/max-pooling-2d.js';
import { GlobalAveragePooling2D } from '../nn/layers/global-average-pooling-2d.js';
import { SGD } from '../nn/optimizers/sgd.js';
import { Tensor } from '../tensor/tensor.js';
import { Random, setSeed } from '../tensor/rng.js';
import { theoryAtStepZero } from './step-zero.js';
import { predictVariances } from './theory.js';

const DEPTH = 10,
  FILTERS = 32,
  SIZE = 22,
  BATCH = 24;

function images(): { x: Tensor; y: Tensor } {
  const rng = new Random(11);
  const x = new Float32Array(BATCH * SIZE * SIZE * 3).map(() => rng.normal());
  return {
    x: new Tensor(x, [BATCH, SIZE, SIZE, 3]),
    y: new Tensor(
      new Float32Array(BATCH).map((_, i) => i % 4),
      [BATCH],
    ),
  };
}

for (const [activation, init] of [
  ['relu', 'he_normal'],
  ['tanh', 'glorot_uniform'],
  ['selu', 'lecun_normal'],
] as const) {
  test(`theory vs step 0: ${DEPTH} × Conv2D(${FILTERS}, 3×3, ${activation}, ${init}), 2× per layer`, async () => {
    setSeed(5);
    const convs = Array.from(
      { length: DEPTH },
      (_, i) =>
        new Conv2D(FILTERS, {
          kernelSize: 3,
          activation,
          kernelInitializer: init,
          ...(i === 0 ? { inputShape: [SIZE, SIZE, 3] } : {}),
        }),
    );
    const model = new Sequential([...convs, new Flatten(), new Dense(4, { activation: 'softmax' })]);
    model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
    const { x, y } = images();
    const c = await theoryAtStepZero(model, x, y, BATCH);
    assert.deepEqual(c.prediction.unknown, []);
    c.layers.slice(0, DEPTH).forEach((l) => {
      assert.ok(l.varianceFactor < 2, `${l.layer}: predicted ${l.predictedVariance} vs measured ${l.measuredVariance}`);
    });
    // The first/last kernel-gradient ratio, with 'valid' convolutions shrinking the positions each gradient sums.
    const p = c.predictedGradRatio!,
      m = c.measuredGradRatio!;
    assert.ok(Math.max(p / m, m / p) < 10, `gradient ratio predicted ${p} vs measured ${m}`);
  });
}

test('pooling and global pooling have moment rules: no layer of a CNN is unknown to the theory', () => {
  setSeed(6);
  const model = new Sequential([
    new Conv2D(4, { kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
    new MaxPooling2D(2),
    new Conv2D(4, { kernelSize: 3, padding: 'same', activation: 'relu' }),
    new GlobalAveragePooling2D(),
    new Dense(3, { activation: 'softmax' }),
  ]);
  const p = predictVariances(model, { mean: 0, secondMoment: 1 }, { batchSize: 16 });
  assert.deepEqual(p.unknown, []);
  assert.ok(p.layers.every((l) => Number.isFinite(l.outputVariance) && l.outputVariance > 0));
});
