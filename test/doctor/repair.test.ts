/**
 * `--repair` on every broken case: at least 90% must end with a config whose
 * trial loss is lower and whose findings are cleared. Prints the table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunConfig } from '../../src/run-config/index.js';
import { diagnose, repair } from '../../src/health/doctor.js';
import { loadCases, STEPS } from './cases.js';

test('repair clears ≥ 90% of the broken cases and lowers their loss', async () => {
  const rows: string[] = [
    '| case | expected kind | found kinds | loss before → after | cleared? | remedies |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  let fixed = 0,
    broken = 0;
  for (const c of loadCases().filter((x) => x.expected !== 'healthy')) {
    broken++;
    const config = parseRunConfig(c.path);
    const d = await diagnose(config, { steps: STEPS });
    const r = await repair(config, d, { steps: STEPS });
    const ok = r.cleared && r.after.loss !== null && (r.before.loss === null || r.after.loss < r.before.loss);
    if (ok) fixed++;
    const kinds = [...new Set(d.findings.filter((f) => f.severity !== 'info').map((f) => f.kind))].join(', ');
    const loss = (x: number | null) => (x === null ? 'NaN' : x.toFixed(3));
    rows.push(
      `| ${c.file} | ${c.expected} | ${kinds} | ${loss(r.before.loss)} → ${loss(r.after.loss)} | ` +
        `${ok ? 'yes' : 'no'} | ${r.applied.join(' + ')} |`,
    );
  }
  console.log(rows.join('\n'));
  assert.ok(fixed >= 0.9 * broken, `${fixed} of ${broken} repaired`);
});
