/** `keel experiment clipping --quick`: checks P2 and P3 of docs/paper-results.md §5, and per-variable vs global
 * clipping. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runClipping } from '../../src/experiments/clipping.js';
import { silent } from '../../src/experiments/types.js';

test(
  'clipping --quick: lr 1.0 blows a 10-layer tanh net up; global_clipnorm and clipnorm rescue it; only ' +
    'global clipping keeps the direction',
  async () => {
    const { results } = await runClipping({ quick: true, log: silent });
    const run = (clip: string) => results.training.find((t) => t.clip === clip)!;
    // P2: without clipping the loss ends > 2 (measured 12.2); with global_clipnorm 1 < 0.5 (measured 0.29).
    assert.ok(run('none').diverged || run('none').finalLoss > 2, `no clipping: ${run('none').finalLoss}`);
    assert.ok(
      !run('global_clipnorm 1').diverged && run('global_clipnorm 1').finalLoss < 0.5,
      `global: ${run('global_clipnorm 1').finalLoss}`,
    );
    assert.ok(run('clipnorm 1').finalLoss < 1, `clipnorm: ${run('clipnorm 1').finalLoss}`);
    assert.ok(run('global_clipnorm 1').valAccuracy > run('none').valAccuracy + 0.3);
    // The same gradients: global clipping only rescales (cosine 1, same layer ratio); per-variable clipping turns them.
    const dir = (c: string) => results.direction.find((d) => d.clip === c)!;
    assert.ok(
      Math.abs(dir('global_clipnorm 1').cosine - 1) < 1e-4 && Math.abs(dir('global_clipnorm 1').norm - 1) < 1e-3,
    );
    assert.ok(Math.abs(dir('global_clipnorm 1').firstOverLast / dir('none').firstOverLast - 1) < 1e-3);
    assert.ok(dir('clipnorm 1').cosine < 0.99, `clipnorm cosine ${dir('clipnorm 1').cosine}`);
    // P3: 50 steps of a recurrence with spectral radius 1.2 multiply the gradient by 1.2^50 ≈ 9100; clipping bounds
    // it.
    assert.ok(
      Math.abs(results.recurrence.gradNorm / 1.2 ** 50 - 1) < 1e-3,
      `recurrence ${results.recurrence.gradNorm}`,
    );
    assert.ok(results.recurrence.clippedNorm <= 1 + 1e-6);
  },
);
