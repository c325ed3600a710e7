/**
 * `keel experiment <name> [--quick] [--out dir]`: reproduces a paper's claim (or
 * the seed's) with Keel and writes docs/experiments/<name>.md (atomically).
 * `keel experiment all` runs every experiment in turn; `keel experiment list` lists them.
 */
import type { Command } from 'commander';
import { EXPERIMENTS, EXPERIMENT_NAMES } from '../../experiments/registry.js';
import { writeReport } from '../../experiments/lib/write-report.js';

interface ExperimentCliOptions {
  quick?: boolean;
  out: string;
}

async function runOne(name: string, opts: ExperimentCliOptions): Promise<void> {
  const entry = EXPERIMENTS[name];
  if (entry === undefined)
    throw new Error(`unknown experiment '${name}'. Known: ${EXPERIMENT_NAMES.join(', ')}, all, list`);
  const out = process.stdout;
  out.write(`keel experiment ${name}${opts.quick ? ' --quick' : ''}: ${entry.title}\n`);
  const started = Date.now();
  const experiment = await entry.load();
  const { markdown } = await experiment.run({ quick: opts.quick ?? false, log: (line) => out.write(`  ${line}\n`) });
  const path = writeReport(opts.out, name, markdown, opts.quick ?? false);
  out.write(`  wrote ${path} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

export function registerExperimentCommand(program: Command): void {
  program
    .command('experiment <name>')
    .description(
      `reproduce a paper's result with Keel and write docs/experiments/<name>.md (${EXPERIMENT_NAMES.join(', ')}, ` +
        `all, list)`,
    )
    .option('--quick', 'the small, seconds-long form the tests run (writes <name>.quick.md)')
    .option('--out <dir>', 'directory for the Markdown report', 'docs/experiments')
    .action(async (name: string, opts: ExperimentCliOptions) => {
      if (name === 'list') {
        for (const n of EXPERIMENT_NAMES) process.stdout.write(`${n.padEnd(14)} ${EXPERIMENTS[n]!.title}\n`);
        return;
      }
      for (const n of name === 'all' ? EXPERIMENT_NAMES : [name]) await runOne(n, opts);
    });
}
