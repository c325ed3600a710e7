/** `keel experiment handson-ch11 --quick`: check GE1/GE2 of docs/paper-results.md §6 on the teacher task. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runHandsonCh11 } from '../../src/experiments/handson-ch11.js';
import { silent } from '../../src/experiments/types.js';

test(
  'handson-ch11 --quick: every 20-layer variant trains; MC AlphaDropout averages valid distributions close ' +
    'to the deterministic answer',
  async () => {
    const { results } = await runHandsonCh11({ quick: true, log: silent });
    assert.equal(results.steps.length, 4);
    for (const s of results.steps) {
      // Majority class is 0.302: each variant must clearly learn, and its training loss must fall.
      assert.ok(s.bestValAccuracy > 0.45, `${s.key}: best val acc ${s.bestValAccuracy}`);
      assert.ok(s.trainLoss.at(-1)! < s.trainLoss[0]!, `${s.key}: train loss ${s.trainLoss.join(' → ')}`);
    }
    const mc = results.mc;
    assert.ok(mc.probabilitySumError < 1e-4, `MC probabilities sum to 1 (max error ${mc.probabilitySumError})`);
    assert.ok(mc.meanStd > 0.001, `MC samples differ (mean per-class std ${mc.meanStd})`);
    assert.ok(mc.agreement > 0.85, `argmax agreement ${mc.agreement}`);
    assert.ok(
      Math.abs(mc.test.accuracy - mc.deterministic.accuracy) < 0.05,
      `MC ${mc.test.accuracy} vs deterministic ${mc.deterministic.accuracy}`,
    );
  },
);
