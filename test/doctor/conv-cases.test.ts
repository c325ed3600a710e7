/**
 * The doctor on convolutional networks: every broken case of test/cases/conv/ is diagnosed with its expected
 * kind (as an error or warning), and no healthy case gets a finding of severity error. Small on purpose (4 filters,
 * images pooled to 7×7, 80 trial steps) so it runs in CI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunConfig } from '../../src/run-config/index.js';
import { diagnose } from '../../src/health/doctor.js';
import { CASES_DIR } from './cases.js';

const DIR = join(CASES_DIR, 'conv');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, string>;

test('the conv case set holds a deep sigmoid CNN, its BN rescue, and He vs Glorot on 20 ReLU convolutions', () => {
  assert.deepEqual(Object.keys(expected).sort(), [
    'broken-cnn-relu-glorot-20.json',
    'broken-cnn-sigmoid-deep.json',
    'healthy-cnn-relu-he-20.json',
    'healthy-cnn-sigmoid-bn.json',
  ]);
});

for (const [file, kind] of Object.entries(expected)) {
  test(`diagnosis (conv): ${file} → ${kind}`, async () => {
    const d = await diagnose(parseRunConfig(join(DIR, file)), { steps: 80 });
    if (kind === 'healthy') {
      const errors = d.findings.filter((f) => f.severity === 'error');
      assert.deepEqual(
        errors.map((f) => `${f.code}: ${f.message}`),
        [],
      );
    } else {
      const serious = d.findings.filter((f) => f.severity !== 'info');
      assert.ok(
        serious.some((f) => f.kind === kind),
        `expected ${kind}; found ${serious.map((f) => `${f.kind}/${f.code}`).join(', ') || 'nothing'}`,
      );
    }
  });
}
