/**
 * `keel experiment selu-cnn --quick`: the four plain CNNs train on Fashion-MNIST images without diverging; the SELU
 * net's last block stays near unit variance at initialization (self-normalization through conv layers).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CNN_VARIANTS, plainCnn, runSeluCnn } from '../../src/experiments/selu-cnn.js';
import { silent } from '../../src/experiments/types.js';

test('selu-cnn: the plain CNN has `depth` convolutions in three stages; the BN variant has no conv bias', () => {
  const m = plainCnn('relu-bn', 6, 4);
  const convs = m.layers.filter((l) => l.className === 'Conv2D');
  assert.equal(convs.length, 6);
  assert.equal(m.layers.filter((l) => l.className === 'MaxPooling2D').length, 2);
  assert.equal(m.layers.filter((l) => l.className === 'BatchNormalization').length, 6);
  assert.ok(convs.every((c) => c.getConfig().use_bias === false));
  assert.deepEqual(m.layers.at(-1)!.computeOutputShape([9]), [10]);
});

test('selu-cnn --quick: every variant trains, SELU stays near (0, 1) at init', async () => {
  const { results, markdown } = await runSeluCnn({ quick: true, log: silent });
  assert.equal(results.length, CNN_VARIANTS.length);
  for (const r of results) {
    assert.ok(!r.diverged && Number.isFinite(r.testAccuracy) && Number.isFinite(r.gradRatio) && r.gradRatio > 0);
  }
  const selu = results.find((r) => r.variant === 'selu')!;
  assert.ok(selu.lastConvStd > 0.5 && selu.lastConvStd < 1.5, `SELU last block std ${selu.lastConvStd}`);
  assert.ok(selu.testAccuracy > 0.3, `SELU test accuracy ${selu.testAccuracy}`);
  assert.match(markdown, /## Verdict/);
});
