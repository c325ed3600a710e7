/**
 * `keel doctor config.json [--steps N] [--repair] [--json] [--out DIR]`: lint,
 * variance theory and a short probed trial; prints each finding with its
 * numbers. With --repair, tries the remedies the findings name, retrains each
 * candidate for the same step budget and writes the best repaired config
 * (atomically) to DIR/<name>.repaired.json (DIR defaults to the config's folder).
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

export interface DoctorCommandOptions {
  steps?: number;
  repair?: boolean;
  json?: boolean;
  out?: string;
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
  const report = await runDoctor(config, {
    steps,
    repair: options.repair,
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
  if (options.json) {
    print(JSON.stringify({ findings: report.findings, ...(report.repair ? { repair: report.repair } : {}) }, null, 2));
    return report;
  }
  show(report.findings);
  if (report.findings.length === 0) print('No findings: the network should train.');
  print(
    `\nTrial: ${report.trial.steps} steps in ${report.trial.seconds.toFixed(1)} s, final training loss ` +
      `${lossText(report.trial.loss)}`,
  );
  if (report.theory)
    print(`\nTheory (variance propagation) next to measurement at step 0:\n${formatTheoryTable(report.theory)}`);
  if (report.repair) {
    const r = report.repair;
    print(
      r.cleared
        ? `\nRepair: ${r.applied.join(' + ')} clears the findings; loss ${lossText(r.before.loss)} → ` +
            `${lossText(r.after.loss)}. Wrote ${repairedPath}`
        : `\nRepair: no candidate cleared the findings and lowered the loss (${r.candidates.length} tried).`,
    );
  }
  return report;
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'Diagnose vanishing/exploding gradients, dead or saturated units and broken self-normalization; ' +
        'optionally repair the config',
    )
    .argument('<config>', 'run config (JSON)')
    .option('--steps <n>', `trial length in optimizer steps (default ${DEFAULT_TRIAL_STEPS})`, positiveInt('--steps'))
    .option('--repair', 'try remedies, retrain each for the same budget, write the best config')
    .option('--json', 'print one JSON document instead of text')
    .option('--out <dir>', 'folder for the repaired config and doctor-report.json')
    .action(async (configPath: string, options: DoctorCommandOptions) => {
      await runDoctorCommand(configPath, options);
    });
}

/** The kinds of the findings a repair candidate did not clear (info excluded). */
function remainingKinds(findings: readonly { severity: string; kind: string }[]): string {
  return [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.kind))].join(', ') || '-';
}
