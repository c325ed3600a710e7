/**
 * The phenomenon (vanishing/exploding gradients, saturation, drifting
 * activations) and its cures, measured at initialization with one backward pass
 * of sparse categorical cross-entropy on a fixed batch of 256 standardized
 * Fashion-MNIST images. Thresholds were measured with PyTorch on the same setup.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, layers, losses, setSeed, valueAndGrads, initializers, type Tensor } from '../src/index.js';
import { standardizedFashionBatch } from './helpers/fashion-batch.js';

const { x, y } = standardizedFashionBatch(256);
const loss = losses.get('sparse_categorical_crossentropy');

type Hidden = () => layers.Layer[];

/** 784 → `depth` hidden blocks of 100 units → Dense(10, softmax). */
function network(
  depth: number,
  block: Hidden,
): { model: Sequential; hiddenKernels: string[]; hiddenOutputs: string[] } {
  const stack: layers.Layer[] = [];
  const hiddenKernels: string[] = [],
    hiddenOutputs: string[] = [];
  for (let i = 0; i < depth; i++) {
    const b = block();
    hiddenKernels.push(`${b[0]!.name}/kernel`);
    hiddenOutputs.push(b[b.length - 1]!.name);
    stack.push(...b);
  }
  stack.push(new layers.Dense(10, { activation: 'softmax' }));
  const model = new Sequential(stack);
  model.build([784]);
  return { model, hiddenKernels, hiddenOutputs };
}

/** One training-mode forward + backward: kernel-gradient norms and each hidden block's output. */
function measure(depth: number, block: Hidden, seed: number): { gradNorms: number[]; outputs: Float32Array[] } {
  setSeed(seed);
  const { model, hiddenKernels, hiddenOutputs } = network(depth, block);
  const vars = model.trainableWeights;
  const outputs = new Map<string, Float32Array>();
  const { value, grads } = valueAndGrads(
    () =>
      loss(
        y,
        model.apply(x, {
          training: true,
          observe: (l: layers.Layer, o: Tensor) => {
            if (hiddenOutputs.includes(l.name)) outputs.set(l.name, Float32Array.from(o.data));
          },
        }),
      ),
    vars,
  );
  assert.ok(Number.isFinite(value.item()), `loss ${value.item()}`);
  const gradNorms = hiddenKernels.map((name) => {
    const g = grads[vars.findIndex((v) => v.name === name)]!.data;
    let s = 0;
    for (const v of g) s += v * v;
    return Math.sqrt(s);
  });
  return { gradNorms, outputs: hiddenOutputs.map((n) => outputs.get(n)!) };
}

function meanVar(a: Float32Array): { mean: number; variance: number } {
  let s = 0;
  for (const v of a) s += v;
  const mean = s / a.length;
  let q = 0;
  for (const v of a) q += (v - mean) ** 2;
  return { mean, variance: q / a.length };
}

const dense =
  (args: layers.DenseArgs): Hidden =>
  () => [new layers.Dense(100, args)];

test(
  'sigmoid + glorot_uniform, 20 layers: the first hidden kernel gradient is > 10⁴ times smaller than the ' + 'last',
  () => {
    const { gradNorms } = measure(20, dense({ activation: 'sigmoid', kernelInitializer: 'glorot_uniform' }), 1);
    const ratio = gradNorms[19]! / gradNorms[0]!;
    assert.ok(gradNorms[0]! > 0, 'the gradient is tiny, not exactly zero');
    assert.ok(
      ratio > 1e4,
      `last/first kernel-gradient norm ${ratio.toExponential(3)} (first ${gradNorms[0]}, last ${gradNorms[19]})`,
    );
  },
);

test('sigmoid + RandomNormal(stddev 1), 20 layers: > 40% of hidden activations saturate outside [0.01, 0.99]', () => {
  const { outputs } = measure(
    20,
    dense({ activation: 'sigmoid', kernelInitializer: new initializers.RandomNormal({ stddev: 1 }) }),
    2,
  );
  let out = 0,
    total = 0;
  for (const o of outputs)
    for (const v of o) {
      total++;
      if (v < 0.01 || v > 0.99) out++;
    }
  assert.ok(out / total > 0.4, `saturated fraction ${(out / total).toFixed(4)}`);
});

test('the cure, sigmoid + glorot_uniform saturates far less than RandomNormal(1)', () => {
  const { outputs } = measure(20, dense({ activation: 'sigmoid', kernelInitializer: 'glorot_uniform' }), 2);
  let out = 0,
    total = 0;
  for (const o of outputs)
    for (const v of o) {
      total++;
      if (v < 0.01 || v > 0.99) out++;
    }
  assert.ok(out / total < 0.05, `saturated fraction ${(out / total).toFixed(4)}`);
});

function assertBalanced(gradNorms: number[], what: string): void {
  const last = gradNorms[gradNorms.length - 1]!;
  gradNorms.forEach((g, i) => {
    const r = g / last;
    assert.ok(
      r > 0.1 && r < 10,
      `${what}: hidden layer ${i + 1} kernel-gradient norm is ${r.toFixed(3)}× the last hidden layer's (norms ` +
        `${gradNorms.map((n) => n.toExponential(2)).join(', ')})`,
    );
  });
}

test('he_normal + elu, 20 layers: every hidden kernel-gradient norm within 10× of the last hidden layer', () => {
  assertBalanced(
    measure(20, dense({ activation: 'elu', kernelInitializer: 'he_normal' }), 3).gradNorms,
    'he_normal + elu',
  );
});

test('he_normal + BatchNormalization (before the activation, no bias) + elu, 20 layers: within 10×', () => {
  const block: Hidden = () => [
    new layers.Dense(100, { kernelInitializer: 'he_normal', useBias: false }),
    new layers.BatchNormalization(),
    new layers.Activation('elu'),
  ];
  assertBalanced(measure(20, block, 4).gradNorms, 'he_normal + BN + elu');
});

test('selu + lecun_normal, 100 layers: every hidden layer keeps mean within ±0.15 and variance in [0.7, 1.3]', () => {
  const { outputs } = measure(100, dense({ activation: 'selu', kernelInitializer: 'lecun_normal' }), 5);
  outputs.forEach((o, i) => {
    const { mean, variance } = meanVar(o);
    assert.ok(
      Math.abs(mean) <= 0.15 && variance >= 0.7 && variance <= 1.3,
      `layer ${i + 1}: mean ${mean.toFixed(4)}, variance ${variance.toFixed(4)}`,
    );
  });
});

test('selu + he_normal, 100 layers: the activations drift far from variance 1', () => {
  const { outputs } = measure(100, dense({ activation: 'selu', kernelInitializer: 'he_normal' }), 5);
  const deep = meanVar(outputs[99]!);
  const worst = Math.max(...outputs.map((o) => Math.abs(Math.log(meanVar(o).variance))));
  // A clear margin: at least a factor 3 off variance 1 somewhere and at the top.
  assert.ok(
    worst > Math.log(3) && Math.abs(Math.log(deep.variance)) > Math.log(3),
    `layer 100 variance ${deep.variance}, worst |log var| ${worst}`,
  );
});
