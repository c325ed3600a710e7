#!/usr/bin/env node
// Counts the engine's lines of code per module (no blank lines, no comment-only lines, no tests),
// so the size of the core stays visible; .ci/run prints it on every run.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function count(dir) {
  let lines = 0,
    files = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const c = count(path);
      lines += c.lines;
      files += c.files;
      continue;
    }
    if (!name.endsWith('.ts') || name.endsWith('.test.ts') || path.includes('generated')) continue;
    files++;
    let inBlock = false;
    for (const raw of readFileSync(path, 'utf8').split('\n')) {
      const line = raw.trim();
      if (inBlock) {
        if (line.includes('*/')) inBlock = false;
        continue;
      }
      if (line.startsWith('/*')) {
        inBlock = !line.includes('*/');
        continue;
      }
      if (line === '' || line.startsWith('//')) continue;
      lines++;
    }
  }
  return { lines, files };
}

const rows = readdirSync('src')
  .filter((d) => statSync(join('src', d)).isDirectory())
  .map((d) => ({ module: d, ...count(join('src', d)) }));
const core = ['tensor', 'kernels', 'autograd', 'ops', 'nn'];
const coreLines = rows.filter((r) => core.includes(r.module)).reduce((n, r) => n + r.lines, 0);
console.log('Lines of code (no blanks, comments or tests):');
for (const r of rows.sort((a, b) => b.lines - a.lines))
  console.log(`  ${r.module.padEnd(12)} ${String(r.lines).padStart(6)} lines in ${r.files} files`);
console.log(`  engine core (${core.join(', ')}): ${coreLines} lines`);
