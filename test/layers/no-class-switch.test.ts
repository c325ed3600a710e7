/**
 * "A layer class is the only place that knows its layer": outside src/nn/layers/, no
 * code compares, switches or maps on a layer class name (`=== 'Dense'`, `case 'Dense'`,
 * `instanceof Dense`, a Set/Record of class names). Building configs that name a class
 * (`{ class_name: 'BatchNormalization', ... }`, a remedy inserting one) is fine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { layers } from '../../src/index.js';

const ROOT = join(import.meta.dirname, '..', '..');

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.asm.ts')) out.push(path);
  }
  return out;
}

test('no layer class name is switched on or mapped outside src/nn/layers/', () => {
  const names = layers.layerTypeNames().join('|');
  const patterns = [
    new RegExp(`[=!]==\\s*'(${names})'`),
    new RegExp(`'(${names})'\\s*[=!]==`),
    new RegExp(`case\\s+'(${names})'`),
    new RegExp(`instanceof\\s+(${names})\\b`),
    new RegExp(`new Set\\(\\[[^\\]]*'(${names})'`),
    new RegExp(`^\\s*'?(${names})'?\\s*:\\s*['{]`),
  ];
  const offenders: string[] = [];
  for (const dir of ['src', 'lab']) {
    for (const path of files(join(ROOT, dir))) {
      const rel = relative(ROOT, path);
      if (rel.startsWith(join('src', 'nn', 'layers'))) continue;
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (patterns.some((p) => p.test(line))) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
  }
  assert.deepEqual(offenders, []);
});
