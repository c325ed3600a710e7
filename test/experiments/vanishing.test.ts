/** `keel experiment vanishing --quick`: the seed's saturation, and the cures keep gradients within 10× across 20
 * layers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runVanishing } from '../../src/experiments/vanishing.js';
import { silent } from '../../src/experiments/types.js';

test(
  'vanishing --quick: sigmoid + N(0,1) saturates; Glorot/He/SELU neither saturate nor lose the ' + 'gradient',
  async () => {
    const { results, markdown } = await runVanishing({ quick: true, log: silent });
    const row = (k: string) => results.find((r) => r.key === k)!;
    const seed = row('sigmoid-normal1');
    assert.ok(seed.meanSaturation > 0.4, `seed saturation ${seed.meanSaturation}`);
    // sigmoid + glorot: Glorot's f'(0) = 1 assumption fails for sigmoid, the gradient decays exponentially.
    assert.ok(
      row('sigmoid-glorot').firstOverLast < 1e-6,
      `sigmoid-glorot first/last ${row('sigmoid-glorot').firstOverLast}`,
    );
    for (const k of ['tanh-glorot', 'elu-he', 'selu-lecun']) {
      const r = row(k);
      assert.ok(r.meanSaturation < 0.05, `${k} saturation ${r.meanSaturation}`);
      assert.ok(r.firstOverLast > 0.1 && r.firstOverLast < 10, `${k} first/last ${r.firstOverLast}`);
      assert.ok(
        r.testAccuracy! > seed.testAccuracy! + 0.2,
        `${k} test acc ${r.testAccuracy} vs seed ${seed.testAccuracy}`,
      );
    }
    assert.match(markdown, /## Verdict/);
  },
);
