/** `keel experiment glorot2010 --quick`: checks G1 and G2 of docs/paper-results.md §1. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runGlorot2010 } from '../../src/experiments/glorot2010.js';
import { silent } from '../../src/experiments/types.js';

test(
  'glorot2010 --quick: standard init shrinks gradients and activations across 5 tanh layers, normalized does ' +
    'not, and only normalized trains 10 tanh layers',
  async () => {
    const { results } = await runGlorot2010({ quick: true, log: silent });
    const stats = (init: string) => results.initStats.find((s) => s.activation === 'tanh' && s.init === init)!;
    const std = stats('standard'),
      norm = stats('normalized');
    // G1: grad std layer1/layer5 < 0.15 (standard) vs > 0.3 (normalized), a factor > 3 apart; activation std at layer 5
    // <
    // 0.08 vs > 0.25.
    assert.ok(std.gradRatio < 0.15, `standard grad ratio ${std.gradRatio}`);
    assert.ok(norm.gradRatio > 0.3, `normalized grad ratio ${norm.gradRatio}`);
    assert.ok(norm.gradRatio / std.gradRatio > 3, `ratio of ratios ${norm.gradRatio / std.gradRatio}`);
    assert.ok(
      std.stats.activationStd[4]! < 0.08 && norm.stats.activationStd[4]! > 0.25,
      `act std ${std.stats.activationStd[4]} vs ${norm.stats.activationStd[4]}`,
    );
    // G2: val acc > 0.7 with glorot_uniform, < 0.4 with U[±1/√n] (majority class 0.302).
    for (const t of results.teacher) {
      if (t.init === 'normalized') assert.ok(t.valAccuracy > 0.7, `normalized seed ${t.seed}: ${t.valAccuracy}`);
      else assert.ok(t.valAccuracy < 0.4, `standard seed ${t.seed}: ${t.valAccuracy}`);
    }
  },
);
