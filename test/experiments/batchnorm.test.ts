/** `keel experiment batchnorm --quick`: check B2 of docs/paper-results.md §4. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBatchnorm } from '../../src/experiments/batchnorm.js';
import { silent } from '../../src/experiments/types.js';

test(
  'batchnorm --quick: a 10-layer sigmoid net stuck at the majority class learns once BN precedes each ' + 'sigmoid',
  async () => {
    const { results } = await runBatchnorm({ quick: true, log: silent });
    const run = (p: string) => results.teacher.find((t) => t.variant.placement === p && t.lr === 0.01)!;
    // Without BN: no better than predicting one class (majority 0.302); with BN: > 0.6 (measured 0.83) and loss well
    // below ln 4.
    assert.ok(
      run('none').valAccuracy < 0.35 && run('none').finalLoss > 1.3,
      `no BN: acc ${run('none').valAccuracy}, loss ${run('none').finalLoss}`,
    );
    assert.ok(
      run('before').valAccuracy > 0.6 && run('before').finalLoss < 0.9,
      `BN: acc ${run('before').valAccuracy}, loss ${run('before').finalLoss}`,
    );
  },
);
