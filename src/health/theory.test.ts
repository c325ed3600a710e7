/**
 * Theory against measurement at step 0: 20-layer stacks of width 256 under
 * several initializers. Predicted forward variance within 2× of the measured
 * one at every hidden layer; predicted first/last-layer gradient-norm ratio
 * within 10× of the measured ratio (which spans ~12 orders of magnitude).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential } from '../nn/model.js';
import { Dense } from '../nn/layers/dense.js';
import { Activation } from '../nn/layers/activation.js';
import { predictVariances } from './theory.js';
import { SGD } from '../nn/optimizers/sgd.js';
import { Tensor } from '../tensor/tensor.js';
import { setSeed } from '../tensor/rng.js';
import { theoryAtStepZero } from './step-zero.js';

const DEPTH = 20,
  WIDTH = 256,
  BATCH = 128,
  IN = 64;
const CASES: [string, string[]][] = [
  ['sigmoid', ['glorot_uniform', 'lecun_normal', 'he_normal']],
  ['tanh', ['glorot_uniform', 'he_normal', 'lecun_normal']],
  ['relu', ['he_normal', 'lecun_normal']],
  ['elu', ['he_normal', 'glorot_normal']],
  ['selu', ['lecun_normal', 'he_normal', 'glorot_uniform']],
];

function data(): { x: Tensor; y: Tensor } {
  let s = 7;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const x = new Float32Array(BATCH * IN);
  for (let i = 0; i < x.length; i++) x[i] = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const y = new Float32Array(BATCH).map((_, i) => i % 10);
  return { x: new Tensor(x, [BATCH, IN]), y: new Tensor(y, [BATCH]) };
}

const ratios: Record<string, number> = {};
for (const [activation, inits] of CASES) {
  for (const init of inits) {
    test(`theory vs step 0: ${DEPTH} × Dense(${WIDTH}, ${activation}, ${init})`, async () => {
      setSeed(3);
      const layers = Array.from(
        { length: DEPTH },
        (_, i) =>
          new Dense(WIDTH, {
            activation: activation as 'relu',
            kernelInitializer: init as 'he_normal',
            ...(i === 0 ? { inputShape: [IN] } : {}),
          }),
      );
      const model = new Sequential([...layers, new Dense(10, { activation: 'softmax' })]);
      model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
      const { x, y } = data();
      const c = await theoryAtStepZero(model, x, y, BATCH);
      c.layers.slice(0, DEPTH).forEach((l) => {
        assert.ok(
          l.varianceFactor < 2,
          `${l.layer}: predicted variance ${l.predictedVariance} vs measured ${l.measuredVariance}`,
        );
      });
      const factor = Math.max(
        c.predictedGradRatio! / c.measuredGradRatio!,
        c.measuredGradRatio! / c.predictedGradRatio!,
      );
      assert.ok(factor < 10, `gradient ratio predicted ${c.predictedGradRatio} vs measured ${c.measuredGradRatio}`);
      ratios[`${activation}+${init}`] = c.measuredGradRatio!;
    });
  }
}

test('the measured first/last gradient ratio spans > 10 orders of magnitude (he+elu vs sigmoid+glorot)', () => {
  if (ratios['elu+he_normal'] === undefined || ratios['sigmoid+glorot_uniform'] === undefined) return;
  assert.ok(ratios['elu+he_normal']! / ratios['sigmoid+glorot_uniform']! > 1e10);
});

test('linear Dense + Activation(softmax) predicts as Dense(softmax) does (same moments and gradients)', () => {
  const build = (split: boolean) => {
    setSeed(4);
    const layers = [
      new Dense(32, { activation: 'tanh', inputShape: [16] }),
      new Dense(5, { activation: split ? 'linear' : 'softmax' }),
      ...(split ? [new Activation('softmax')] : []),
    ];
    return predictVariances(new Sequential(layers), { mean: 0, secondMoment: 1 }, { batchSize: 32 });
  };
  const fused = build(false),
    split = build(true);
  assert.deepEqual(split.unknown, []);
  assert.ok(Math.abs(split.layers.at(-1)!.outputVariance - fused.layers.at(-1)!.outputVariance) < 1e-12);
  for (const i of [0, 1]) {
    const a = split.layers[i]!.kernelGradNorm!,
      b = fused.layers[i]!.kernelGradNorm!;
    assert.ok(Math.abs(a - b) <= 1e-9 * b, `layer ${i}: ${a} vs ${b}`);
  }
});
