/**
 * examples/seed-models.ts runs to completion: the three models' summaries, then one epoch each on
 * Fashion-MNIST (--quick: 6,000 images) to a real accuracy. It imports 'keel' (the package's own name);
 * the `keel-source` export condition points that at src/ so the test needs no build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

test('examples/seed-models.ts trains the three seed models on Fashion-MNIST to a real accuracy', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const r = spawnSync(
    process.execPath,
    ['--conditions=keel-source', '--import', 'tsx', 'examples/seed-models.ts', '--quick'],
    { cwd: root, encoding: 'utf8', timeout: 300_000 },
  );
  assert.equal(r.status, 0, `exit ${r.status}; stderr:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /holds only class/, 'the validation tail holds every class');
  for (const name of ['model_selu', 'model_bn_after_activation', 'model_bn_before_activation']) {
    assert.match(r.stdout, new RegExp(`Model: "${name}"`), `summary of ${name}`);
    const m = new RegExp(
      `${name}: 1 epoch, loss [\\d.]+, accuracy [\\d.]+, val_accuracy ([\\d.]+), test accuracy ([\\d.]+)`,
    ).exec(r.stdout);
    assert.ok(m, `training line of ${name}`);
    // Chance is 0.10; one epoch on 5,400 images reaches about 0.7 (0.60 leaves room for seeds, not for failure).
    assert.ok(Number(m[1]) > 0.6, `${name} val_accuracy ${m[1]}`);
    assert.ok(Number(m[2]) > 0.6, `${name} test accuracy ${m[2]}`);
  }
  assert.match(r.stdout, /alpha_dropout \(AlphaDropout\)/);
  assert.match(r.stdout, /activation \(Activation\)/);
  // The SELU stack: BN(784) 3,136 + 78,500 + 10,100 + 1,010 parameters.
  assert.match(r.stdout, /Total params: 92,746/);
  // Dense without bias before BN: 784·100 = 78,400.
  assert.match(r.stdout, /\(None, 100\)\s+78,400/);
});
