/** `keel doctor`: --json shape, --repair writes the config atomically, and the first finding prints within 15 s. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDoctorCommand } from '../../src/cli/commands/doctor.js';
import { CASES_DIR } from './cases.js';

test('--json prints one document with findings and repair', async () => {
  const out = mkdtempSync(join(tmpdir(), 'keel-doctor-'));
  const lines: string[] = [];
  await runDoctorCommand(join(CASES_DIR, 'broken-huge-lr.json'), { json: true, repair: true, steps: 100, out }, (t) =>
    lines.push(t),
  );
  assert.equal(lines.length, 1);
  const doc = JSON.parse(lines[0]!) as { findings: Record<string, unknown>[]; repair: Record<string, unknown> };
  for (const f of doc.findings) {
    for (const key of ['kind', 'code', 'severity', 'layers', 'evidence', 'remedies'])
      assert.ok(key in f, `finding lacks ${key}`);
    assert.ok(['error', 'warning', 'info'].includes(f.severity as string));
  }
  assert.ok(doc.findings.some((f) => f.kind === 'nan_or_inf' && f.severity === 'error'));
  for (const key of ['applied', 'config', 'before', 'after']) assert.ok(key in doc.repair, `repair lacks ${key}`);
  assert.equal(typeof (doc.repair.after as { loss: number }).loss, 'number');
  const written = JSON.parse(readFileSync(join(out, 'broken-huge-lr.repaired.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  assert.deepEqual(written, doc.repair.config);
  assert.ok(readdirSync(out).every((f) => !f.includes('.tmp')));
});

// Findings stream as they are found (during the trial), not after the whole report: the first one comes before
// the trial's summary line. An ordering, not a duration (CI shares its cores).
test('keel doctor prints its first finding before the trial summary', async () => {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts'),
      'doctor',
      join(CASES_DIR, 'broken-relu-negative-bias.json'),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines = await new Promise<string[]>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (/^Trial: /m.test(text)) resolve(text.split('\n'));
    });
    child.on('exit', () => reject(new Error(`no trial summary printed:\n${text}`)));
  });
  child.kill();
  const finding = lines.findIndex((l) => /^(ERROR|WARNING|INFO) /.test(l));
  const summary = lines.findIndex((l) => l.startsWith('Trial: '));
  assert.ok(finding >= 0 && finding < summary, `first finding at line ${finding}, trial summary at ${summary}`);
});
