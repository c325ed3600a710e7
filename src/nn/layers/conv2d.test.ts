import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layers, setSeed, Tensor } from '../../index.js';

function std(d: Float32Array): number {
  let s = 0,
    s2 = 0;
  for (const v of d) {
    s += v;
    s2 += v * v;
  }
  const m = s / d.length;
  return Math.sqrt(s2 / d.length - m * m);
}

test("Conv2D: the kernel initializer's fan includes the receptive field (He: std √(2 / (kh·kw·cin)))", () => {
  setSeed(1);
  const conv = new layers.Conv2D(64, { kernelSize: 3, kernelInitializer: 'he_normal' });
  conv.build([8, 8, 32]);
  assert.deepEqual(conv.kernel!.shape, [3, 3, 32, 64]);
  const expected = Math.sqrt(2 / (3 * 3 * 32));
  assert.ok(Math.abs(std(conv.kernel!.data) / expected - 1) < 0.03, `std ${std(conv.kernel!.data)} vs ${expected}`);
  const glorot = new layers.Conv1D(16, { kernelSize: 5 });
  glorot.build([20, 4]);
  const limit = Math.sqrt(6 / (5 * 4 + 5 * 16));
  assert.ok(Math.max(...Array.from(glorot.kernel!.data, Math.abs)) <= limit);
});

test('Conv2D / pooling: bad options and inputs are refused with the layer, the value and a fix', () => {
  assert.throws(() => new layers.Conv2D(8, {}), /Invalid kernelSize for Conv2D .*received undefined/);
  assert.throws(() => new layers.Conv2D(8, { kernelSize: [3] }), /list of 2 positive integers; received \[3\]/);
  assert.throws(() => new layers.Conv2D(8, { kernelSize: 3, padding: 'causal' as never }), /padding/);
  assert.throws(() => new layers.Conv2D(8, { kernelSize: 3, strides: 2, dilationRate: 2 }), /cannot both exceed 1/);
  assert.throws(() => new layers.Conv2D(8, { kernelSize: 3, kernelSise: 3 } as never), /Did you mean 'kernelSize'/);
  const c = new layers.Conv2D(4, { kernelSize: 5 });
  assert.throws(() => c.build([3, 3, 1]), /does not fit the input \[null, 3, 3, 1\].*\nhelp: use padding 'same'/s);
  assert.throws(() => new layers.Conv2D(4, { kernelSize: 3 }).build([28, 28]), /help: give images as \[height/);
  assert.throws(() => new layers.MaxPooling2D({ poolSize: 0 }), /Invalid poolSize/);
  assert.throws(() => new layers.Reshape([5, -1]).build([2, 3]), /cannot reshape/);
});

test('SpatialDropout2D drops whole channels per example, scaled by 1/(1 − rate)', () => {
  const layer = new layers.SpatialDropout2D(0.5, { seed: 3 });
  const x = new Tensor(new Float32Array(2 * 3 * 3 * 8).fill(1), [2, 3, 3, 8]);
  const y = layer.apply(x, { training: true }).data;
  let dropped = 0;
  for (let b = 0; b < 2; b++) {
    for (let c = 0; c < 8; c++) {
      const vals = new Set<number>();
      for (let p = 0; p < 9; p++) vals.add(y[(b * 9 + p) * 8 + c]!);
      assert.equal(vals.size, 1, 'one draw per (example, channel)');
      const v = [...vals][0]!;
      assert.ok(v === 0 || v === 2);
      if (v === 0) dropped++;
    }
  }
  assert.ok(dropped > 0 && dropped < 16);
  assert.deepEqual(Array.from(layer.apply(x, { training: false }).data), Array.from(x.data));
  assert.equal(layer.getConfig().noise_shape, undefined);
});
