/**
 * The README's API tour runs as written (style: docs that run). The block is taken from README.md,
 * its Fashion-MNIST load limited to a small subset, and executed inside the package, where 'keel'
 * resolves to the package itself (the `keel-source` export condition: src/, no build needed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

test('the README API tour runs', { timeout: 300_000 }, () => {
  const readme = readFileSync('README.md', 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block !== undefined && block.includes("from 'keel'"), 'README has a ts block importing keel');
  const dir = mkdtempSync(join(resolve('test'), '.readme-'));
  try {
    assert.match(block, /datasets\.fashionMnist\.loadData\(\)/, 'the tour loads its data through datasets');
    // Same code on a small stratified subset, so the test stays fast.
    let code = block.replace('loadData()', 'loadData({ limit: 640, testLimit: 80 })');
    code +=
      `\nif (history.history.loss.length !== 5 || probs.shape[1] !== 10 || !(history.history.val_accuracy[4] > 0.3))` +
      ` throw new Error('unexpected tour results');\nconsole.log('tour ok');\n`;
    const file = join(dir, 'tour.ts');
    writeFileSync(file, code.replace(/epochs: 5, batchSize: 32/, 'epochs: 5, batchSize: 32, verbose: 0'));
    const r = spawnSync(process.execPath, ['--conditions=keel-source', '--import', 'tsx', file], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /tour ok/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the README custom-layer example runs: it saves and loads with customObjects', { timeout: 300_000 }, () => {
  const readme = readFileSync('README.md', 'utf8');
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('class Scale'));
  assert.ok(block !== undefined, 'README has the custom-layer example');
  const dir = mkdtempSync(join(resolve('test'), '.readme-'));
  try {
    let code = block
      .replace("from 'keel';", `from '${resolve('src/index.js')}';`)
      .replaceAll("'out/scaled'", JSON.stringify(join(dir, 'scaled')));
    code +=
      `\nif (!(again.layers[1] instanceof Scale) || again.layers[1].factor !== 2) throw new Error('not ` +
      `loaded');\nconsole.log('custom ok');\n`;
    const file = join(dir, 'custom.ts');
    writeFileSync(file, code);
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /custom ok/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
