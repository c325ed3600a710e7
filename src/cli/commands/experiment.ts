/**
 * `keel experiment <name> [--quick] [--out dir]`: reproduces a paper's claim (or
 * the seed's) with Keel and writes <dir>/<name>.md (atomically; default runs/experiments, never the
 * project's docs/ unless asked: the repository's own reports are written with --out docs/experiments).
 * `keel experiment all` runs every experiment in turn; `keel experiment list` lists them.
 */
import type { Command } from 'commander';
import { EXPERIMENTS, EXPERIMENT_NAMES } from '../../experiments/registry.js';
import { writeReport } from '../../experiments/lib/write-report.js';
import { closest } from '../../util/suggest.js';
import { join } from 'node:path';

/** Relative to the working directory; the repository's committed reports use --out docs/experiments. */
export const DEFAULT_OUT = join('runs', 'experiments');

interface ExperimentCliOptions {
  quick?: boolean;
  out: string;
}

async function runOne(name: string, opts: ExperimentCliOptions): Promise<void> {
  const entry = EXPERIMENTS[name];
  if (entry === undefined) {
    const known = [...EXPERIMENT_NAMES, 'all', 'list'];
    const near = known.find((k) => name.length >= 3 && k.startsWith(name)) ?? closest(name, known);
    throw new Error(
      `unknown experiment '${name}'.${near !== null ? ` Did you mean '${near}'?` : ''} Known: ` +
        `${EXPERIMENT_NAMES.join(', ')}, all, list`,
    );
  }
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
      `reproduce a paper's result with Keel and write <out>/<name>.md (${EXPERIMENT_NAMES.join(', ')}, ` + `all, list)`,
    )
    .option('--quick', 'the small, seconds-long form the tests run (writes <name>.quick.md)')
    .option('--out <dir>', 'directory for the Markdown report', DEFAULT_OUT)
    .action(async (name: string, opts: ExperimentCliOptions) => {
      if (name === 'list') {
        for (const n of EXPERIMENT_NAMES) process.stdout.write(`${n.padEnd(14)} ${EXPERIMENTS[n]!.title}\n`);
        return;
      }
      for (const n of name === 'all' ? EXPERIMENT_NAMES : [name]) await runOne(n, opts);
    });
}
