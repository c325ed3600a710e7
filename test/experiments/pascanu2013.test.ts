/**
 * `keel experiment pascanu2013 --quick`: SGD on a SimpleRNN blows up on the adding problem, global_clipnorm keeps it
 * stable (Pascanu et al. 2013), the LSTM solves the short task, and the probe's gradient through time is recorded.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADDING_BASELINE, pascanuVerdict, runPascanu2013 } from '../../src/experiments/pascanu2013.js';
import { silent } from '../../src/experiments/types.js';

test('pascanu2013 --quick: unclipped SGD blows up, global_clipnorm rescues it, LSTM solves T = 10', async () => {
  const { results, markdown } = await runPascanu2013({ quick: true, log: silent });
  const { runs } = results;
  assert.equal(runs.length, 2 * 2 + 2 * 2 + 2); // two SimpleRNN variants at T = 10, 25; LSTM at T = 10; 2 seeds
  const at = (variant: string, T: number) => runs.filter((r) => r.variant === variant && r.T === T);
  for (const T of [10, 25]) {
    const clipped = at('SimpleRNN, SGD + global_clipnorm 1', T);
    const plain = at('SimpleRNN, SGD', T);
    assert.ok(clipped.every((r) => !r.blewUp && Number.isFinite(r.testMse)));
    assert.ok(plain.some((r) => r.blewUp));
    // The unclipped runs' largest gradient is far above the threshold the clipped runs are held to.
    assert.ok(Math.max(...plain.map((r) => r.maxGradNorm)) > 10 * Math.max(...clipped.map((r) => r.medianGradNorm)));
    // The probe recorded the gradient through time at step 0, and the theory predicted it within 2×.
    for (const r of clipped) {
      assert.ok(r.timeRatioAtInit !== null && r.timeRatioAtInit > 0 && r.timeRatioAtInit < 1);
      const q = r.timeRatioAtInit / r.timeRatioPredicted!;
      assert.ok(q > 0.5 && q < 2, `measured/predicted ${q}`);
    }
  }
  // Clipped SGD learns something at T = 10; the LSTM solves it.
  assert.ok(at('SimpleRNN, SGD + global_clipnorm 1', 10).every((r) => r.testMse < ADDING_BASELINE / 2));
  assert.ok(at('LSTM, Adam + global_clipnorm 1', 10).every((r) => r.solved));
  const v = pascanuVerdict(runs);
  assert.deepEqual(v.clipRescues, v.exploding);
  assert.match(markdown, /## Verdict\n\n\*\*clipping rescue reproduced/);
});
