/**
 * `keel doctor config.json [--steps N] [--repair] [--verify EPOCHS] [--json] [--out DIR] [--report FILE]
 * [--exit-zero]`: lint of the model and data, variance theory and a short probed trial judged on held-out data;
 * prints each finding with its numbers, then the primary cause in plain words. With --repair, tries the remedies
 * the findings name, retrains each candidate for the same step budget, accepts those that beat chance and the
 * original on held-out data, verifies the best with a longer run and writes it (atomically, `repeat` blocks kept)
 * to DIR/<name>.repaired.json (DIR defaults to the config's folder). Exits 1 when a finding is an error, like a
 * linter (--exit-zero: 0).
 */
import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseRunConfig } from '../../run-config/index.js';
import { writeFileAtomic } from '../../io/write-atomic.js';
import { positiveInt } from '../options.js';
import { DEFAULT_TRIAL_STEPS, runDoctor, type DoctorReport } from '../../health/doctor.js';
import { formatFinding, formatTheoryTable } from '../../health/format.js';
import type { Finding } from '../../health/types.js';
import { renderDoctorReport } from '../../report/html/doctor-page.js';
import type { ProbeHistory } from '../../health/types.js';

export interface DoctorCommandOptions {
  steps?: number;
  repair?: boolean;
  json?: boolean;
  out?: string;
  /** Path of an HTML report to write. */
  report?: string;
  /** Epochs of the repair's verification run (default: the config's epochs; 0 skips it). */
  verify?: number;
  /** Exit 0 even when a finding is an error. */
  exitZero?: boolean;
}

const lossText = (x: number | null) => (x === null ? 'NaN' : x.toFixed(4));

/** Runs the doctor and prints (text or one JSON document); returns the report. */
export async function runDoctorCommand(
  configPath: string,
  options: DoctorCommandOptions,
  print: (text: string) => void = (t) => process.stdout.write(`${t}\n`),
): Promise<DoctorReport> {
  const config = parseRunConfig(configPath);
  const steps = options.steps ?? DEFAULT_TRIAL_STEPS;
  const shown = new Set<string>();
  const show = (fs: Finding[]) => {
    if (options.json) return;
    for (const f of fs) {
      const key = `${f.code}|${f.layers.join(',')}`;
      if (shown.has(key)) continue;
      shown.add(key);
      print(formatFinding(f));
    }
  };
  if (!options.json)
    print(
      `keel doctor ${configPath}: lint, variance theory, then a ${steps}-step trial` +
        `${options.repair ? ', then repair' : ''}`,
    );
  let history: ProbeHistory | null = null;
  const report = await runDoctor(config, {
    steps,
    repair: options.repair,
    ...(options.verify !== undefined ? { verify: options.verify === 0 ? false : options.verify } : {}),
    onRecord: (_r, h) => {
      history ??= h;
    },
    onVerify: options.json
      ? undefined
      : (which, epochs) =>
          print(`  verifying the ${which === 'before' ? 'original' : 'repaired'} config: ${epochs} epochs ...`),
    onFindings: show,
    onCandidate: options.json
      ? undefined
      : (c) =>
          print(
            `  candidate ${c.applied.join(' + ')}: loss ${lossText(Number.isFinite(c.loss) ? c.loss : null)}, ` +
              (c.cleared ? 'findings cleared' : `still: ${remainingKinds(c.findings)}`),
          ),
  });
  let repairedPath: string | null = null;
  if (report.repair?.config) {
    const dir = options.out ?? dirname(configPath);
    mkdirSync(dir, { recursive: true });
    repairedPath = join(dir, `${basename(configPath, '.json')}.repaired.json`);
    writeFileAtomic(repairedPath, `${JSON.stringify(report.repair.config, null, 2)}\n`);
  }
  if (options.out) {
    mkdirSync(options.out, { recursive: true });
    writeFileAtomic(join(options.out, 'doctor-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  }
  if (options.report) {
    mkdirSync(dirname(options.report), { recursive: true });
    const losses = (history as ProbeHistory | null)?.losses ?? [];
    writeFileAtomic(options.report, renderDoctorReport(report, { title: basename(configPath), losses }));
  }
  if (options.json) {
    print(
      JSON.stringify(
        {
          findings: report.findings,
          ...(report.repair ? { repair: report.repair } : {}),
          diagnosis: report.diagnosis,
          trial: report.trial,
        },
        null,
        2,
      ),
    );
    return report;
  }
  show(report.findings);
  if (report.findings.length === 0) print('No findings: the network should train.');
  const h = report.trial.heldOut;
  print(
    `\nTrial: ${report.trial.steps} steps in ${report.trial.seconds.toFixed(1)} s, final training loss ` +
      `${lossText(report.trial.loss)}` +
      (h
        ? `; held-out loss ${lossText(h.loss)} (trivial baseline ${lossText(h.baselineLoss)})` +
          (h.accuracy !== null ? `, accuracy ${(h.accuracy * 100).toFixed(1)}%` : '') +
          (h.atChance ? ' — at chance' : '')
        : ''),
  );
  if (report.diagnosis?.text) print(`\n${report.diagnosis.text}`);
  if (report.theory)
    print(`\nTheory (variance propagation) next to measurement at step 0:\n${formatTheoryTable(report.theory)}`);
  if (report.repair) {
    const r = report.repair;
    const ho = (x: { heldOut?: { loss: number | null } | null }) => lossText(x.heldOut?.loss ?? null);
    print(
      r.cleared
        ? `\nRepair: ${r.applied.join(' + ')} beats chance and the original on held-out data; held-out loss ` +
            `${ho(r.before)} → ${ho(r.after)}. Wrote ${repairedPath}`
        : `\nRepair: no candidate beat chance and the original on held-out data (${r.candidates.length} tried).`,
    );
    if (r.changes?.length) print(`Changes: ${r.changes.join('; ')}`);
    const v = r.verification;
    if (v) {
      const line = (x: { loss: number | null; accuracy: number | null; atChance: boolean }) =>
        `loss ${lossText(x.loss)}${x.accuracy !== null ? `, accuracy ${(x.accuracy * 100).toFixed(1)}%` : ''}` +
        `${x.atChance ? ' (at chance)' : ''}`;
      print(
        `Verified over ${v.before.epochs} epochs on the test data (trivial baseline loss ` +
          `${lossText(v.before.baselineLoss)}): before ${line(v.before)}; after ` +
          `${v.after ? line(v.after) : '—'}. ${v.confirmed ? 'Confirmed.' : 'Not confirmed.'}`,
      );
    }
  }
  if (options.report) print(`Wrote ${options.report}`);
  return report;
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'Diagnose why a network does not train (output/loss and data mistakes, vanishing/exploding gradients, dead ' +
        'or saturated units, a loss at chance); optionally repair the config. Exits 1 on an error finding',
    )
    .argument('<config>', 'run config (JSON)')
    .option('--steps <n>', `trial length in optimizer steps (default ${DEFAULT_TRIAL_STEPS})`, positiveInt('--steps'))
    .option('--repair', 'try remedies, retrain each for the same budget, write the best config')
    .option('--json', 'print one JSON document instead of text')
    .option('--out <dir>', 'folder for the repaired config and doctor-report.json')
    .option('--verify <epochs>', "epochs of the repair's verification run (default: the config's; 0 skips)", nonNegInt)
    .option('--report <file>', 'write an HTML report of the diagnosis (and repair)')
    .option('--exit-zero', 'exit 0 even when a finding is an error')
    .action(async (configPath: string, options: DoctorCommandOptions) => {
      const report = await runDoctorCommand(configPath, options);
      if (report.findings.some((f) => f.severity === 'error') && !options.exitZero) process.exitCode = 1;
    });
}

/** The kinds of the findings a repair candidate did not clear (info excluded). */
function remainingKinds(findings: readonly { severity: string; kind: string }[]): string {
  return [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.kind))].join(', ') || '-';
}

function nonNegInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--verify: expected a non-negative integer; received ${value}`);
  return n;
}
