#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node:test through tsx.
// `--slow` also runs the opt-in *.slow.test.ts files (real-data runs).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const slow = process.argv.includes('--slow');
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

let files = [...collect('src', []), ...collect('test', [])].sort();
if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
