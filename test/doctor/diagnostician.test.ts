/**
 * The diagnostician on a fast subset of test/cases/diagnostician/ (the whole set, with repairs confirmed by
 * full-budget training, is `scripts/doctor-eval.ts` → docs/doctor-evaluation.md): each broken case is found with its
 * designed kind, no healthy case gets an error, and no finding's remedy contradicts the primary cause. Then the CLI:
 * `--json` keeps its schema (fields added, none renamed), `--report` writes the HTML report, and `keel doctor` exits
 * 1 on an error finding (0 with --exit-zero).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunConfig } from '../../src/run-config/index.js';
import { diagnose } from '../../src/health/doctor.js';
import { contradicts } from '../../src/health/root-cause.js';
import { runDoctorCommand } from '../../src/cli/commands/doctor.js';

const DIR = join(import.meta.dirname, '..', 'cases', 'diagnostician');
const manifest = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<
  string,
  { expected: string | string[]; groundTruth?: { trains: boolean } }
>;

test('the case set: ≥ 40 configs, ≥ 15 healthy, ground truth measured for each and agreeing with its label', () => {
  const entries = Object.entries(manifest);
  assert.ok(entries.length >= 40);
  assert.ok(entries.filter(([, e]) => e.expected === 'healthy').length >= 15);
  for (const [file, e] of entries) {
    assert.ok(e.groundTruth !== undefined, `${file}: no ground truth`);
    assert.equal(e.groundTruth.trains, e.expected === 'healthy', `${file}: ground truth disagrees with its label`);
  }
});

const FAST = [
  'h-spirals-batch1-adam.json',
  'h-houses-std-adam.json',
  'h-circles-bn16.json',
  'b-circles-softmax-one-unit.json',
  'b-teacher-bn-after-output.json',
  'b-teacher-dropout-0.9.json',
  'b-houses-raw-targets-sgd.json',
  'b-spirals-momentum-batch1.json',
  'b-wine-negative-bias.json',
];

for (const file of FAST) {
  test(`diagnostician: ${file}`, async () => {
    const e = manifest[file]!;
    const expected = Array.isArray(e.expected) ? e.expected : [e.expected];
    const d = await diagnose(parseRunConfig(join(DIR, file)), { steps: 150 });
    if (expected[0] === 'healthy') {
      assert.deepEqual(
        d.findings.filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`),
        [],
      );
      return;
    }
    const serious = d.findings.filter((f) => f.severity !== 'info');
    assert.ok(
      serious.some((f) => expected.includes(f.kind)),
      `expected ${expected}; found ${serious.map((f) => f.code)}`,
    );
    const primary = d.rootCause.primary!;
    assert.ok(primary !== null && primary.role === 'primary');
    assert.ok(primary.why && primary.firstChange);
    for (const f of d.findings) {
      if (f === primary) continue;
      for (const r of f.remedies) assert.equal(contradicts(r.id, primary), false, `${f.code}'s ${r.id}`);
    }
  });
}

test('Dropout(0.9): the training loss falls, the held-out loss stays at chance, and that is reported', async () => {
  const d = await diagnose(parseRunConfig(join(DIR, 'b-teacher-dropout-0.9.json')), { steps: 150 });
  assert.equal(d.heldOut?.atChance, true);
  const chance = d.findings.find((f) => f.code === 'S-CHANCE');
  assert.ok(chance !== undefined && chance.severity === 'error');
  assert.equal(d.rootCause.primary?.code, 'L-DROPOUT-RATE');
});

test('--json keeps its schema (findings[].kind/..., repair.applied/config/before/after), adds fields', async () => {
  const out = mkdtempSync(join(tmpdir(), 'keel-doctor-'));
  const lines: string[] = [];
  const report = join(out, 'doctor.html');
  await runDoctorCommand(
    join(DIR, 'b-circles-softmax-one-unit.json'),
    { json: true, repair: true, steps: 60, verify: 2, out, report },
    (t) => lines.push(t),
  );
  assert.equal(lines.length, 1);
  const doc = JSON.parse(lines[0]!) as {
    findings: Record<string, unknown>[];
    repair: Record<string, unknown>;
    diagnosis: Record<string, unknown>;
  };
  for (const f of doc.findings)
    for (const key of ['kind', 'code', 'severity', 'layers', 'source', 'message', 'evidence', 'remedies'])
      assert.ok(key in f, `finding lacks ${key}`);
  for (const key of ['applied', 'config', 'before', 'after', 'cleared', 'candidates'])
    assert.ok(key in doc.repair, `repair lacks ${key}`);
  for (const side of ['before', 'after'] as const) {
    const s = doc.repair[side] as Record<string, unknown>;
    assert.ok('loss' in s && Array.isArray(s.findings), `repair.${side} lacks loss/findings`);
  }
  assert.deepEqual(doc.repair.applied, ['fix_output_layer']);
  assert.equal(doc.diagnosis.primary, 'L-OUT-LOSS');
  assert.ok(Array.isArray(doc.repair.changes));
  assert.ok((doc.repair.changes as string[]).some((c) => c.includes('activation softmax → sigmoid')));
  const v = doc.repair.verification as { before: { atChance: boolean }; after: { atChance: boolean } };
  assert.equal(v.before.atChance, true);
  const written = JSON.parse(readFileSync(join(out, 'b-circles-softmax-one-unit.repaired.json'), 'utf8')) as {
    model: { repeat?: number }[];
  };
  assert.equal(written.model[0]!.repeat, 2); // the repeat block is kept
  const html = readFileSync(report, 'utf8');
  for (const id of ['diagnosis', 'held-out', 'findings', 'repair']) assert.ok(html.includes(`id="${id}"`), id);
  assert.ok(html.includes('Change this first'));
});

test('keel doctor exits 1 on an error finding, 0 with --exit-zero', () => {
  const main = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
  const run = (...extra: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', main, 'doctor', join(DIR, 'b-circles-softmax-one-unit.json'), '--steps', '25', ...extra],
      { encoding: 'utf8' },
    );
  const failing = run();
  assert.equal(failing.status, 1, failing.stderr);
  assert.match(failing.stdout, /Change this first: /);
  assert.equal(run('--exit-zero').status, 0);
});
