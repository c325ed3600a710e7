/** `keel experiment he2016 --quick`: at depth 30 the residual MLP trains further than its plain twin. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runHe2016 } from '../../src/experiments/he2016.js';
import { silent } from '../../src/experiments/types.js';

test('he2016 --quick: plain vs residual MLP (BN) at depth 10 and 30 on the teacher task', async () => {
  const { results, markdown } = await runHe2016({ quick: true, log: silent });
  assert.equal(results.length, 4);
  const at = (depth: number, residual: boolean) => results.find((r) => r.depth === depth && r.residual === residual)!;
  for (const r of results) assert.ok(!r.diverged && Number.isFinite(r.gradRatio) && r.gradRatio > 0);
  // Degradation: the deeper plain net trains worse; with shortcuts the deep net trains better than the plain one.
  assert.ok(at(30, false).trainAccuracy < at(10, false).trainAccuracy);
  assert.ok(at(30, true).trainAccuracy > at(30, false).trainAccuracy + 0.1);
  assert.match(markdown, /## Verdict/);
});
