/**
 * Must-show 1 of issue 17: a new user's script, written only from the README
 * (test/newcomer/seed-models-from-readme.ts), imports 'keel', loads Fashion-MNIST through
 * `datasets`, trains the seed note's three models and gets real accuracies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

test("a newcomer's script from the README trains the three seed models on Fashion-MNIST", () => {
  const r = spawnSync(
    process.execPath,
    ['--conditions=keel-source', '--import', 'tsx', 'test/newcomer/seed-models-from-readme.ts', '--quick'],
    { encoding: 'utf8', timeout: 600_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /holds only class/);
  for (const name of ['selu', 'bn-after', 'bn-before']) {
    const m = new RegExp(`${name}: val_accuracy ([\\d.]+) test accuracy ([\\d.]+)`).exec(r.stdout);
    assert.ok(m, `${name} printed its accuracies:\n${r.stdout}`);
    // Chance is 0.10; two epochs on 5,400 images reach about 0.75.
    assert.ok(Number(m[1]) > 0.65 && Number(m[2]) > 0.65, `${name}: ${m[0]}`);
  }
});
