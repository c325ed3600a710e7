/** `keel experiment he2015 --quick`: checks H1 and H2 of docs/paper-results.md §2 (30-layer ReLU, He vs Xavier). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runHe2015 } from '../../src/experiments/he2015.js';
import { silent } from '../../src/experiments/types.js';

test(
  'he2015 --quick: He keeps the signal through 30 ReLU layers and trains; Xavier shrinks it ~2^(-14.5) and ' + 'stalls',
  async () => {
    const { results } = await runHe2015({ quick: true, log: silent });
    const stat = (init: string) => results.initStats.find((s) => s.init === init && s.depth === 30)!;
    // H1: rms ratio in [0.3, 3] for he_normal, < 1e-3 for lecun_normal; the same for the gradient.
    assert.ok(
      stat('he_normal').rmsRatio > 0.3 && stat('he_normal').rmsRatio < 3,
      `He rms ratio ${stat('he_normal').rmsRatio}`,
    );
    assert.ok(
      stat('he_normal').gradRatio > 0.3 && stat('he_normal').gradRatio < 3,
      `He grad ratio ${stat('he_normal').gradRatio}`,
    );
    assert.ok(
      stat('lecun_normal').rmsRatio < 1e-3 && stat('lecun_normal').gradRatio < 1e-3,
      `Xavier ${stat('lecun_normal').rmsRatio}, ${stat('lecun_normal').gradRatio}`,
    );
    // Eq. 8's per-layer factor ½·n·Var[w]: 1 for He, ½ for Xavier.
    assert.ok(
      Math.abs(stat('he_normal').perLayerFactor - 1) < 0.1 &&
        Math.abs(stat('lecun_normal').perLayerFactor - 0.5) < 0.05,
    );
    // H2: within the same 600 SGD steps He's loss falls below 1.25 and 80% of its start; Xavier's stays above 98% and
    // 1.33.
    const run = (init: string) => results.training.find((t) => t.init === init)!;
    const he = run('he_normal'),
      xavier = run('lecun_normal');
    assert.ok(
      he.finalLoss < 1.25 && he.finalLoss < 0.8 * he.initialLoss,
      `He loss ${he.initialLoss} → ${he.finalLoss}`,
    );
    assert.ok(
      xavier.finalLoss > 1.33 && xavier.finalLoss > 0.98 * xavier.initialLoss && xavier.valAccuracy < 0.35,
      `Xavier loss ${xavier.initialLoss} → ${xavier.finalLoss}, acc ${xavier.valAccuracy}`,
    );
  },
);
