/**
 * What an experiment is: a named, seeded run with a quick form (for tests, a
 * few seconds) and a full form (for docs/experiments/<name>.md), returning its
 * Markdown report and the numbers a test asserts on.
 */

export interface ExperimentOptions {
  /** The quick form: small, fixed seeds, a few seconds. */
  quick: boolean;
  /** Progress lines (one per variant); the CLI prints them, tests pass a no-op. */
  log: (line: string) => void;
}

export interface ExperimentOutput<R> {
  /** The whole Markdown report: claim, source, setup, tables, charts, verdict. */
  markdown: string;
  /** The measured numbers (what the quick test asserts on). */
  results: R;
}

export interface Experiment<R = unknown> {
  name: string;
  title: string;
  run(options: ExperimentOptions): Promise<ExperimentOutput<R>>;
}

export const silent: ExperimentOptions['log'] = () => {};
