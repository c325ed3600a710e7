/**
 * `keel experiment goyal2017 --quick`: the toolbox's warm-up is the repair that works. At batch 512 and the
 * linearly scaled rate 0.08 (16 × 0.005; SGD, momentum 0.9, 8 × Dense(256, relu)), the seed-2 run without
 * warm-up fails in its first epoch — it overflows to NaN, or (the chaotic path depends on the last bits of the
 * matmul: fused multiply-add or not) ends it at chance and stays near it; the same run with a 100-step linear
 * warm-up from 0.005 (Keras 3 CosineDecay with warmup_target) trains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runGoyal2017 } from '../../src/experiments/goyal2017.js';
import { silent } from '../../src/experiments/types.js';

test('goyal2017 --quick: large-batch SGD fails without warm-up (NaN or chance) and trains with it', async () => {
  const { results, markdown } = await runGoyal2017({ quick: true, log: silent });
  const row = (v: string) => results.rows.find((r) => r.variant === v)!;
  const cold = row('large batch, no warm-up'),
    warm = row('large batch, warm-up');
  const failed = cold.diverged || (cold.valAccuracy[0]! < 0.15 && Math.max(...cold.valAccuracy) < 0.4);
  assert.ok(failed, `no warm-up: diverged ${cold.diverged}, val acc ${cold.valAccuracy.join(', ')}`);
  assert.equal(warm.diverged, false);
  assert.ok(warm.valAccuracy[0]! > 0.5, `warm-up: the first epoch already learns (${warm.valAccuracy[0]})`);
  assert.equal(warm.valAccuracy.length, results.setup.epochs);
  assert.ok(Math.max(...warm.valAccuracy) > 0.7, `warm-up val accuracy ${warm.valAccuracy.join(', ')}`);
  assert.match(markdown, /Reproduced in direction/);
});
