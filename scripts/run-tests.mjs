#!/usr/bin/env node
// Type-checks src/, test/ and bench/ (tsconfig.test.json: tsx strips types without checking them),
// then runs every *.test.ts under src/ and test/ with node:test through tsx.
// `--slow` also runs the opt-in *.slow.test.ts files (real-data runs);
// `--no-typecheck` skips the type-check (for quick local reruns; CI never passes it).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const slow = process.argv.includes('--slow');
const typecheck = !process.argv.includes('--no-typecheck');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts') && (slow || !name.endsWith('.slow.test.ts'))) out.push(path);
  }
  return out;
}

if (typecheck) {
  const t = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.test.json'], {
    stdio: 'inherit',
  });
  if (t.status !== 0) {
    console.error('run-tests: the type-check (tsc -p tsconfig.test.json) failed; no tests were run');
    process.exit(t.status ?? 1);
  }
}

let files = [...collect('src', []), ...collect('test', [])].sort();
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
