/**
 * Issue 12, must-show 2: the small CNN (bench/cnn.ts), Adam 1e-3, batch 64, one epoch on 10,000 Fashion-MNIST
 * training images (1,000 per class, shuffled), test accuracy on the 10,000 test images — Keel vs PyTorch on the same
 * images (bench/cnn_accuracy_torch.py), 3 seeds each.
 * Usage: node --import tsx bench/cnn-accuracy.ts [--seeds 3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadData, parseDataSpec } from '../src/run-config/index.js';
import { buildCnn } from './cnn.js';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '3' } } });
const seeds = Array.from({ length: Number(values.seeds) }, (_v, i) => i + 1);
const data = loadData(parseDataSpec({ dataset: 'fashion-mnist', limit: 10_000, shape: 'image' }));
const dir = mkdtempSync(join(tmpdir(), 'keel-cnn-'));
const write = (name: string, a: Float32Array) =>
  writeFileSync(join(dir, name), Buffer.from(a.buffer, a.byteOffset, a.byteLength));
write('x_train.f32', data.x.data);
write('y_train.f32', data.y.data);
write('x_test.f32', data.xTest.data);
write('y_test.f32', data.yTest.data);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const keel: number[] = [];
for (const seed of seeds) {
  const model = buildCnn(seed);
  const t0 = performance.now();
  await model.fit(data.x, data.y, { epochs: 1, batchSize: 64, verbose: 0 });
  const seconds = (performance.now() - t0) / 1000;
  const acc = model.evaluate(data.xTest, data.yTest, { batchSize: 256 }).accuracy!;
  keel.push(acc);
  process.stderr.write(`keel seed ${seed}: test accuracy ${(acc * 100).toFixed(2)}% (${seconds.toFixed(1)} s)\n`);
}
const py = spawnSync('/usr/bin/python3', ['bench/cnn_accuracy_torch.py', dir, seeds.join(',')], { encoding: 'utf8' });
rmSync(dir, { recursive: true, force: true });
if (py.status !== 0) throw new Error(`PyTorch failed: ${py.stderr.slice(-2000)}`);
const torch = (JSON.parse(py.stdout.trim().split('\n').pop()!) as { accuracy: number[] }).accuracy;
const pct = (xs: number[]) => xs.map((a) => `${(a * 100).toFixed(2)}%`).join(', ');
process.stdout.write(
  `Small CNN, 1 epoch on 10,000 Fashion-MNIST images, test accuracy (seeds ${seeds.join(', ')}):\n` +
    `  Keel    ${pct(keel)}  mean ${(mean(keel) * 100).toFixed(2)}%\n` +
    `  PyTorch ${pct(torch)}  mean ${(mean(torch) * 100).toFixed(2)}%\n` +
    `  difference of means ${((mean(keel) - mean(torch)) * 100).toFixed(2)} points\n`,
);
