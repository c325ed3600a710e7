/**
 * Every broken case in test/cases/ is diagnosed with its expected kind (as an
 * error or warning), and no healthy case gets a finding of severity error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunConfig } from '../../src/run-config/index.js';
import { diagnose } from '../../src/health/doctor.js';
import { loadCases, STEPS } from './cases.js';

const cases = loadCases();

test('test/cases has at least 20 configs, half of them healthy', () => {
  assert.ok(cases.length >= 20);
  assert.ok(cases.filter((c) => c.expected === 'healthy').length >= cases.length / 2 - 1);
});

for (const c of cases) {
  test(`diagnosis: ${c.file} → ${c.expected}`, async () => {
    const d = await diagnose(parseRunConfig(c.path), { steps: STEPS });
    const serious = d.findings.filter((f) => f.severity !== 'info');
    if (c.expected === 'healthy') {
      const errors = d.findings.filter((f) => f.severity === 'error');
      assert.deepEqual(
        errors.map((f) => `${f.code}: ${f.message}`),
        [],
      );
    } else {
      assert.ok(
        serious.some((f) => f.kind === c.expected),
        `expected ${c.expected}; found ${serious.map((f) => `${f.kind}/${f.code}`).join(', ') || 'nothing'}`,
      );
    }
  });
}
