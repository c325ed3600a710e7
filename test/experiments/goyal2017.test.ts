/**
 * `keel experiment goyal2017 --quick`: the toolbox's warm-up is the repair that works. At batch 512 and the
 * linearly scaled rate 0.16 (SGD, momentum 0.9, 8 × Dense(256, relu)), training without warm-up diverges;
 * the same run with a 40-step linear warm-up (Keras 3 CosineDecay with warmup_target) trains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runGoyal2017 } from '../../src/experiments/goyal2017.js';
import { silent } from '../../src/experiments/types.js';

test('goyal2017 --quick: large-batch SGD diverges without warm-up and trains with it', async () => {
  const { results, markdown } = await runGoyal2017({ quick: true, log: silent });
  const row = (v: string) => results.rows.find((r) => r.variant === v)!;
  const cold = row('large batch, no warm-up'),
    warm = row('large batch, warm-up');
  assert.equal(cold.diverged, true, `no warm-up: val acc ${cold.valAccuracy.join(', ')}`);
  assert.equal(warm.diverged, false);
  assert.equal(warm.valAccuracy.length, results.setup.epochs);
  assert.ok(warm.testAccuracy > 0.7, `warm-up test accuracy ${warm.testAccuracy}`);
  assert.match(markdown, /Reproduced in direction/);
});
