/** examples/seed-models.ts runs to completion and prints the three models' summaries and a training line each. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('examples/seed-models.ts exits 0 and prints the three summaries', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/seed-models.ts'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `exit ${r.status}; stderr:\n${r.stderr}`);
  for (const name of ['model_selu', 'model_bn_after_activation', 'model_bn_before_activation']) {
    assert.match(r.stdout, new RegExp(`Model: "${name}"`), `summary of ${name}`);
    assert.match(
      r.stdout,
      new RegExp(`${name}: 1 epoch, loss \\d+\\.\\d+, accuracy \\d\\.\\d+`),
      `training line of ${name}`,
    );
  }
  assert.match(r.stdout, /alpha_dropout \(AlphaDropout\)/);
  assert.match(r.stdout, /activation \(Activation\)/);
  // The SELU stack: BN(784) 3,136 + 78,500 + 10,100 + 1,010 parameters.
  assert.match(r.stdout, /Total params: 92,746/);
  // Dense without bias before BN: 784·100 = 78,400.
  assert.match(r.stdout, /\(None, 100\)\s+78,400/);
});
