/**
 * The README's API tour runs as written (style: docs that run). The block is
 * taken from README.md, given small generated `x`, `y` and `xTest`, pointed at
 * the sources instead of the 'keel' package, and executed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

test('the README API tour runs', { timeout: 60_000 }, () => {
  const readme = readFileSync('README.md', 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block !== undefined && block.includes("from 'keel'"), 'README has a ts block importing keel');
  const dir = mkdtempSync(join(resolve('test'), '.readme-'));
  try {
    const src = resolve('src/index.js');
    const prelude = `
const n = 64;
const xs = new Float32Array(n * 784).map((_v, i) => Math.sin(i * 0.37));
const x = tensor(xs, [n, 784]);
const y = tensor(new Float32Array(n).map((_v, i) => i % 10), [n]);
const xTest = tensor(xs.slice(0, 8 * 784), [8, 784]);
`;
    let code = block.replace("from 'keel';", `from '${src}';\n${prelude}`);
    code +=
      `\nif (history.history.loss.length !== 5 || probs.shape[1] !== 10) throw new Error('unexpected tour ` +
      `results');\nconsole.log('tour ok');\n`;
    const file = join(dir, 'tour.ts');
    writeFileSync(file, code.replace(/epochs: 5, batchSize: 32/, 'epochs: 5, batchSize: 32, verbose: 0'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /tour ok/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the README custom-layer example runs: it saves and loads with customObjects', { timeout: 60_000 }, () => {
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
