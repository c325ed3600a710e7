/**
 * The doctor's evaluation on test/cases/diagnostician/ (too slow for `npm test`): for every case, diagnosis
 * (detection of the designed kind; no error on a healthy case; no remedy contradicting the primary cause; time to
 * the first finding), then for every broken case the repair, accepted on held-out data and verified by training the
 * repaired config for the case's full budget on the test data. Writes docs/doctor-evaluation.md.
 *
 *   node --import tsx scripts/doctor-eval.ts                 (all cases; ~10–20 minutes on 2 cores)
 *   node --import tsx scripts/doctor-eval.ts --ground-truth  (first: measures each case's full training into
 *                                                             expected.json)
 *   node --import tsx scripts/doctor-eval.ts --only b-wine   (cases whose file name contains the text)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseRunConfig } from '../src/run-config/index.js';
import { diagnose, repair, verifyConfig, type Verification } from '../src/health/doctor.js';
import { contradicts } from '../src/health/root-cause.js';
import type { Finding } from '../src/health/types.js';

const DIR = resolve('test/cases/diagnostician');
const STEPS = 150;
/**
 * Ground truth: a case trains when its full run beats chance with a test loss below this share of the trivial
 * baseline's (every healthy case is below 0.5; a mistake that costs this much is a failure to train).
 */
const TRAINS_RATIO = 0.6;

interface Manifest {
  [file: string]: { expected: string | string[]; groundTruth?: Verification & { trains: boolean } };
}

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1]! : '';
const manifestPath = join(DIR, 'expected.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
const files = Object.keys(manifest).filter((f) => f.includes(only));
const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toPrecision(3));

if (args.includes('--ground-truth')) {
  for (const file of files) {
    const config = parseRunConfig(join(DIR, file));
    const v = await verifyConfig(config, config.fit.epochs);
    const trains = !v.atChance && v.lossRatio !== null && v.lossRatio < TRAINS_RATIO;
    manifest[file]!.groundTruth = { ...v, seconds: Number(v.seconds.toFixed(1)), trains };
    const label = manifest[file]!.expected;
    const agree = (label === 'healthy') === trains;
    process.stderr.write(
      `${file}: loss ${fmt(v.loss)} / baseline ${fmt(v.baselineLoss)}, acc ${fmt(v.accuracy)}, ` +
        `trains=${trains}${agree ? '' : '   <-- DISAGREES WITH THE LABEL'}\n`,
    );
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  }
  process.exit(0);
}

interface Row {
  file: string;
  expected: string;
  healthy: boolean;
  detected: boolean;
  errors: number;
  primary: string;
  kinds: string;
  firstFinding: number | null;
  contradictions: string[];
  repaired?: boolean;
  confirmed?: boolean;
  applied?: string;
  before?: Verification;
  after?: Verification | null;
}

const rows: Row[] = [];
const noRepair = args.includes('--no-repair');
for (const file of files) {
  const entry = manifest[file]!;
  const expected = Array.isArray(entry.expected) ? entry.expected : [entry.expected];
  const healthy = expected[0] === 'healthy';
  const config = parseRunConfig(join(DIR, file));
  const t0 = performance.now();
  let first: number | null = null;
  const d = await diagnose(config, {
    steps: STEPS,
    onFindings: (fs) => {
      if (first === null && fs.some((f) => f.severity !== 'info')) first = (performance.now() - t0) / 1000;
    },
  });
  if (first === null && d.findings.some((f) => f.severity !== 'info')) first = (performance.now() - t0) / 1000;
  const serious = d.findings.filter((f) => f.severity !== 'info');
  const errors = d.findings.filter((f) => f.severity === 'error').length;
  const primary = d.rootCause.primary;
  const contradictions: string[] = [];
  if (primary !== null)
    for (const f of d.findings as Finding[])
      for (const r of f.remedies)
        if (f !== primary && contradicts(r.id, primary)) contradictions.push(`${f.code}:${r.id}`);
  const row: Row = {
    file,
    expected: expected.join(' / '),
    healthy,
    detected: healthy ? errors === 0 : serious.some((f) => expected.includes(f.kind)),
    errors,
    primary: primary ? `${primary.code}` : '—',
    kinds: [...new Set(serious.map((f) => f.kind))].join(', ') || '—',
    firstFinding: first,
    contradictions,
  };
  if (!healthy && !noRepair) {
    const r = await repair(config, d, { steps: STEPS, verify: config.fit.epochs });
    row.repaired = r.cleared;
    row.confirmed = r.verification?.confirmed ?? false;
    row.applied = r.applied.join(' + ') || '—';
    row.before = r.verification?.before ?? entry.groundTruth;
    row.after = r.verification?.after ?? null;
  }
  rows.push(row);
  process.stderr.write(
    `${file}: ${row.detected ? 'ok' : 'MISSED'} [${row.kinds}] primary ${row.primary}` +
      (row.repaired !== undefined
        ? `; repair ${row.applied} ${row.repaired ? 'accepted' : 'none'}, ` +
          `${row.confirmed ? 'confirmed' : 'NOT confirmed'}`
        : '') +
      `; first finding ${fmt(row.firstFinding)} s${contradictions.length ? `; CONTRADICTS ${contradictions}` : ''}\n`,
  );
}

const broken = rows.filter((r) => !r.healthy);
const healthyRows = rows.filter((r) => r.healthy);
const firsts = rows
  .map((r) => r.firstFinding)
  .filter((x): x is number => x !== null)
  .sort((a, b) => a - b);
const median = firsts.length ? firsts[Math.floor((firsts.length - 1) / 2)]! : NaN;
const pct = (a: number, b: number) => `${a}/${b} (${b ? ((100 * a) / b).toFixed(0) : '—'}%)`;
const result = (v: Verification | null | undefined) => {
  if (!v) return '—';
  const acc = v.accuracy !== null ? `, ${(v.accuracy * 100).toFixed(1)}%` : '';
  return `${fmt(v.loss)}${acc}${v.atChance ? ' (chance)' : ''}`;
};
const count = (rs: Row[], p: (r: Row) => boolean | undefined) => rs.filter((r) => p(r) === true).length;
const load = (await import('node:os')).loadavg()[0]!.toFixed(1);
const lines = [
  '# The doctor on its case set',
  '',
  'Generated by `node --import tsx scripts/doctor-eval.ts` over `test/cases/diagnostician/` ' +
    `(${rows.length} configs, ${healthyRows.length} healthy; trial ${STEPS} steps). Ground truth: each case trained ` +
    'for its full budget, judged on its test data in inference mode (`expected.json`, `groundTruth`).',
  '',
  `- Detection of the designed kind (broken cases): ${pct(
    count(broken, (r) => r.detected),
    broken.length,
  )}`,
  `- Healthy cases with an error finding: ${count(healthyRows, (r) => !r.detected)} of ${healthyRows.length}`,
  `- Broken cases repaired (accepted on held-out data): ${pct(
    count(broken, (r) => r.repaired),
    broken.length,
  )}`,
  '- Repairs confirmed by full-budget training on the test data: ' +
    `${pct(
      count(broken, (r) => r.confirmed),
      broken.length,
    )}`,
  `- Findings whose remedy contradicts the primary cause: ${rows.reduce((s, r) => s + r.contradictions.length, 0)}`,
  `- Median time to the first finding (cases with one, from the start of diagnose): ${median.toFixed(2)} s ` +
    `(load average ${load})`,
  '',
  '| case | designed | found | primary | first finding (s) | repair | full run before → after (test loss, acc) | ' +
    'confirmed |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.file.replace('.json', '')} | ${r.expected} | ${r.detected ? '' : '**missed:** '}${r.kinds} | ` +
      `${r.primary} | ${fmt(r.firstFinding)} | ${r.applied ?? ''} | ` +
      `${r.healthy ? '' : `${result(r.before)} → ${result(r.after)}`} | ` +
      `${r.healthy ? '' : r.confirmed ? 'yes' : 'no'} |`,
  ),
  '',
];
if (only === '' && !noRepair) writeFileSync('docs/doctor-evaluation.md', lines.join('\n'));
process.stdout.write(lines.join('\n'));
