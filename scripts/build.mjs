#!/usr/bin/env node
// Build: compile the WebAssembly kernels (if present), then TypeScript to dist/.
// Runs on `npm install` (prepare) so a fresh clone is usable at once.
import { spawnSync } from 'node:child_process';
import { existsSync, chmodSync } from 'node:fs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (existsSync('scripts/build-wasm.mjs')) run(process.execPath, ['scripts/build-wasm.mjs']);
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
if (existsSync('dist/cli/main.js')) chmodSync('dist/cli/main.js', 0o755);

// --- The browser lab (dist/lab): esbuild bundle + Fashion-MNIST subset. Needs the esbuild dev dependency. ---
if (existsSync('node_modules/esbuild')) run(process.execPath, ['scripts/build-lab.mjs']);
else console.warn('build: esbuild is not installed (dev dependency); skipping the browser lab');
