/** Lint: each SELU condition of the seed caught by its own rule, and the other rules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KerasObject } from '../nn/keras-config.js';
import type { DataSpec } from '../run-config/data-spec.js';
import { lintConfig } from './lint.js';
import { Layer, registerLayer, type LayerFacts } from '../nn/layers/index.js';
import type { Tensor } from '../tensor/tensor.js';

/** A stand-in merge layer (the functional API brings Add/Concatenate): the lint asks the layer its role. */
class SkipMerge extends Layer {
  call(x: Tensor): Tensor {
    return x;
  }
  override doctorFacts(): LayerFacts {
    return { role: 'merge', fullyConnected: true };
  }
}
registerLayer(SkipMerge);

const dense = (
  units: number,
  activation: string,
  init = 'lecun_normal',
  extra: Record<string, unknown> = {},
): KerasObject => ({ class_name: 'Dense', config: { units, activation, kernel_initializer: init, ...extra } });
const out = dense(4, 'softmax', 'glorot_uniform');
const teacher: DataSpec = { dataset: 'teacher' };
/** A SELU network that meets every condition. */
const good = (): KerasObject[] => [
  dense(64, 'selu'),
  { class_name: 'AlphaDropout', config: { rate: 0.1 } },
  dense(64, 'selu'),
  dense(64, 'selu'),
  out,
];
const seluCodes = (layers: KerasObject[], data: DataSpec = teacher) =>
  lintConfig({ layers, data })
    .filter((f) => f.kind === 'broken_self_normalization')
    .map((f) => f.code);

test('a SELU network meeting every condition has no SELU finding', () => {
  assert.deepEqual(seluCodes(good()), []);
});

const conditions: [string, string, () => [KerasObject[], DataSpec?]][] = [
  [
    'selu everywhere',
    'L-SELU-EVERYWHERE',
    () => {
      const l = good();
      l[2] = dense(64, 'relu', 'he_normal');
      return [l];
    },
  ],
  [
    'Dense only',
    'L-SELU-DENSE-ONLY',
    () => {
      const l = good();
      l.splice(1, 0, { class_name: 'Conv3D', config: { filters: 8, kernel_size: 3 } });
      return [l];
    },
  ],
  [
    'no skip connections',
    'L-SELU-NO-SKIP',
    () => {
      const l = good();
      l.splice(3, 0, { class_name: 'SkipMerge', config: {} });
      return [l];
    },
  ],
  [
    'lecun_normal',
    'L-SELU-INIT',
    () => {
      const l = good();
      l[0] = dense(64, 'selu', 'he_normal');
      return [l];
    },
  ],
  ['standardized inputs', 'L-SELU-INPUTS', () => [good(), { dataset: 'fashion-mnist', limit: 1000 }]],
  [
    'no BatchNormalization',
    'L-SELU-NO-BN',
    () => {
      const l = good();
      l.splice(3, 0, { class_name: 'BatchNormalization', config: {} });
      return [l];
    },
  ],
  [
    'AlphaDropout, not Dropout',
    'L-SELU-ALPHA-DROPOUT',
    () => {
      const l = good();
      l[1] = { class_name: 'Dropout', config: { rate: 0.1 } };
      return [l];
    },
  ],
];
for (const [condition, code, make] of conditions) {
  test(`SELU condition "${condition}" is caught by ${code} alone`, () => {
    const [layers, data] = make();
    const codes = seluCodes(layers, data ?? teacher);
    assert.deepEqual(codes, [code]);
    const f = lintConfig({ layers, data: data ?? teacher }).find((x) => x.code === code)!;
    assert.ok(f.message.length > 20 && f.remedies.length > 0 && f.layers.length > 0);
  });
}

test('a layer Keel does not know is named as unknown by the Dense-only rule, not treated as one of its own', () => {
  const l = good();
  l.splice(1, 0, { class_name: 'MultiHeadAttention', config: {} });
  const f = lintConfig({ layers: l, data: teacher }).find((x) => x.code === 'L-SELU-DENSE-ONLY')!;
  assert.match(f.message, /MultiHeadAttention, unknown to Keel/);
});

test('initializer/activation mismatches', () => {
  const relu = lintConfig({
    layers: [dense(64, 'relu', 'glorot_uniform'), dense(64, 'relu', 'glorot_uniform'), out],
    data: teacher,
  });
  assert.ok(relu.some((f) => f.code === 'L-INIT-RELU-GLOROT' && f.kind === 'vanishing_gradient'));
  const tanh = lintConfig({ layers: [dense(64, 'tanh', 'he_normal'), out], data: teacher });
  assert.ok(tanh.some((f) => f.code === 'L-INIT-SATURATING-HE'));
  const selu = lintConfig({ layers: [dense(64, 'selu', 'glorot_uniform'), out], data: teacher });
  assert.ok(selu.some((f) => f.code === 'L-SELU-INIT'));
  const ok = lintConfig({
    layers: [dense(64, 'relu', 'he_normal'), dense(64, 'tanh', 'glorot_uniform'), out],
    data: teacher,
  });
  assert.deepEqual(
    ok.map((f) => f.code),
    [],
  );
});

test('BatchNormalization rules: bias before BN, Dropout feeding BN', () => {
  const codes = lintConfig({
    layers: [
      dense(64, 'linear', 'he_normal'),
      { class_name: 'BatchNormalization', config: {} },
      { class_name: 'Activation', config: { activation: 'relu' } },
      { class_name: 'Dropout', config: { rate: 0.2 } },
      dense(64, 'linear', 'he_normal', { use_bias: false }),
      { class_name: 'BatchNormalization', config: {} },
      out,
    ],
    data: teacher,
  }).map((f) => f.code);
  assert.ok(codes.includes('L-BIAS-BEFORE-BN'));
  assert.ok(codes.includes('L-DROPOUT-BEFORE-BN'));
});

test('unit-variance init on wide layers, tiny init, deep sigmoid stacks, ELU alpha', () => {
  const unit = { class_name: 'RandomNormal', config: { stddev: 1 } };
  const wide = lintConfig({
    layers: [dense(256, 'relu', unit as never), dense(256, 'relu', unit as never), out],
    data: teacher,
  });
  assert.ok(wide.some((f) => f.code === 'L-INIT-LARGE' && f.severity === 'error' && f.kind === 'exploding_gradient'));
  const tiny = lintConfig({
    layers: [
      dense(64, 'tanh', 'random_normal'),
      dense(64, 'tanh', 'random_normal'),
      dense(64, 'tanh', 'random_normal'),
      dense(64, 'tanh', 'random_normal'),
      out,
    ],
    data: teacher,
  });
  assert.ok(tiny.some((f) => f.code === 'L-INIT-SMALL'));
  const deep = lintConfig({
    layers: [...Array.from({ length: 6 }, () => dense(64, 'sigmoid', 'glorot_uniform')), out],
    data: teacher,
  });
  assert.ok(deep.some((f) => f.code === 'L-DEEP-SATURATING' && f.severity === 'error'));
  const withBn = lintConfig({
    layers: [
      ...Array.from({ length: 6 }, () => [
        dense(64, 'linear', 'glorot_uniform', { use_bias: false }),
        { class_name: 'BatchNormalization', config: {} },
        { class_name: 'Activation', config: { activation: 'sigmoid' } },
      ]).flat(),
      out,
    ],
    data: teacher,
  });
  assert.ok(!withBn.some((f) => f.code === 'L-DEEP-SATURATING'));
  const elu = lintConfig({
    layers: [dense(64, 'linear', 'he_normal'), { class_name: 'ELU', config: { alpha: 0.5 } }, out],
    data: teacher,
  });
  assert.ok(elu.some((f) => f.code === 'L-ELU-ALPHA'));
});
