/**
 * `keel train config.json [--epochs N] [--out DIR] [--seed S] [--checkpoint DIR [--resume]]
 * [--on-nan stop|rollback] [--report]`: trains with a live progress bar and the
 * doctor's live findings, evaluates on the test split, and writes DIR/history.json,
 * the trained model (TF.js layers format), DIR/summary.txt and optionally DIR/report.html.
 */
import type { Command } from 'commander';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseRunConfig,
  buildModel,
  loadRunData,
  fitArgsOf,
  checkDataFitsModel,
  runFingerprint,
  fingerprintDifferences,
} from '../../run-config/index.js';
import { writeFileAtomic } from '../../io/write-atomic.js';
import { lockFolder } from '../../io/dir-lock.js';
import { ModelCheckpoint, hasCheckpoint, loadCheckpoint } from '../../nn/checkpoint/index.js';
import type { FitResume } from '../../nn/training.js';
import { Option } from 'commander';
import { integer, positiveInt } from '../options.js';
import type { Callback } from '../../nn/callbacks.js';
import { ProgressLogger } from '../../report/progress.js';
import { LiveFindings } from '../../health/live-findings.js';
import { ReportRecorder, writeReport } from '../../report/html/index.js';

export interface TrainOptions {
  epochs?: number;
  out: string;
  seed?: number;
  /** Checkpoint folder (written atomically every epoch, or every `checkpointEvery` batches). */
  checkpoint?: string;
  checkpointEvery?: number;
  /** Continue from the checkpoint in `checkpoint` if there is one. */
  resume?: boolean;
  onNan?: 'stop' | 'rollback';
  /** Also write DIR/report.html. */
  report?: boolean;
}

export async function runTrain(
  configPath: string,
  options: TrainOptions,
): Promise<{ testAccuracy: number | undefined; testLoss: number }> {
  const config = parseRunConfig(configPath);
  if (options.seed !== undefined) config.seed = options.seed;
  if (options.resume === true && options.checkpoint === undefined)
    throw new Error('--resume needs --checkpoint DIR (the folder to resume from)');
  const print = (line: string) => process.stdout.write(`${line}\n`);
  // Everything that can be checked is checked before training: the output folder first.
  prepareOutputFolder(options.out);
  const data = loadRunData(config);
  print(
    `Data: ${data.name}, ${data.x.shape[0]} training and ${data.xTest.shape[0]} test examples, ` +
      `${data.inputShape[0]} features${data.standardized ? ' (standardized)' : ''}`,
  );
  const model = buildModel(config, data.inputShape);
  for (const warning of checkDataFitsModel(config, model, data)) print(warning);
  const summary = model.summary(print);
  // The doctor watches every run and prints a finding (with a remedy) as soon as it sees one.
  const callbacks: Callback[] = [new ProgressLogger(1), new LiveFindings({ print })];
  const recorder = options.report
    ? new ReportRecorder({
        title: configPath,
        subtitle: `${data.name}, ${data.x.shape[0]} training examples`,
        x: data.x,
        layers: config.layers,
      })
    : null;
  if (recorder) callbacks.push(recorder);
  const fingerprint = runFingerprint(config, data);
  // One run per checkpoint folder (released when this run ends, or taken over once its process is gone).
  const unlock = options.checkpoint !== undefined ? lockFolder(options.checkpoint, '--checkpoint folder') : null;
  try {
    return await trainWith(options, { config, data, model, summary, callbacks, recorder, fingerprint, print });
  } finally {
    unlock?.();
  }
}

async function trainWith(
  options: TrainOptions,
  run: {
    config: ReturnType<typeof parseRunConfig>;
    data: ReturnType<typeof loadRunData>;
    model: ReturnType<typeof buildModel>;
    summary: string;
    callbacks: Callback[];
    recorder: ReportRecorder | null;
    fingerprint: Record<string, string>;
    print: (line: string) => void;
  },
): Promise<{ testAccuracy: number | undefined; testLoss: number }> {
  const { config, data, model, summary, callbacks, recorder, fingerprint, print } = run;
  let resumeFrom: FitResume | null = null;
  if (options.checkpoint !== undefined) {
    if (options.resume === true && (await hasCheckpoint(options.checkpoint))) {
      const loaded = await loadCheckpoint(options.checkpoint, model);
      if (loaded.fingerprint === null)
        print(
          `Note: the checkpoint in ${options.checkpoint} predates run fingerprints; its data and config are unchecked`,
        );
      else {
        const differs = fingerprintDifferences(loaded.fingerprint, fingerprint);
        if (differs.length > 0)
          throw new Error(
            `--resume: the checkpoint in ${options.checkpoint} was written by a different run: ${differs.join(', ')} ` +
              'changed. Resume with the same config, data and --seed, or start over with another --checkpoint folder',
          );
      }
      resumeFrom = loaded.resume;
      print(
        `Resuming from ${options.checkpoint}: epoch ${(resumeFrom?.epoch ?? 0) + 1}, step ${resumeFrom?.step ?? 0}`,
      );
    }
    callbacks.push(
      new ModelCheckpoint({ filepath: options.checkpoint, saveFreq: options.checkpointEvery ?? 'epoch', fingerprint }),
    );
  }
  const onNaN = options.onNan ?? 'stop';
  const history = await model.fit(
    data.x,
    data.y,
    fitArgsOf(config, {
      epochs: options.epochs ?? config.fit.epochs,
      verbose: 0,
      callbacks,
      resumeFrom,
      onNaN,
      checkpointDir: onNaN === 'rollback' ? join(options.out, 'rollback') : undefined,
    }),
  );
  if (history.nonFinite !== null) print(history.nonFinite.message);
  const test = model.evaluate(data.xTest, data.yTest, { batchSize: 256 });
  const line =
    `Test: loss ${test.loss!.toFixed(4)}` +
    `${test.accuracy !== undefined ? `, accuracy ${(test.accuracy * 100).toFixed(2)}%` : ''}`;
  print(line);
  // A trained model is never discarded: if the output folder fails now (disk full, removed, read-only), the
  // results go to a fresh folder in the system's temporary directory, and the error says where.
  const writeAll = async (dir: string) => {
    mkdirSync(dir, { recursive: true });
    writeFileAtomic(join(dir, 'history.json'), JSON.stringify({ ...history.toJSON(), test }, null, 2));
    writeFileAtomic(join(dir, 'summary.txt'), `${summary}\n${line}\n`);
    await saveTrainedModel(model, dir);
    if (recorder) {
      const record = recorder.record({ data: data.name, test: line.slice(6) });
      print(`Wrote ${writeReport(join(dir, 'report.html'), record)}`);
    }
  };
  try {
    await writeAll(options.out);
  } catch (e) {
    const rescue = mkdtempSync(join(tmpdir(), 'keel-rescued-'));
    await writeAll(rescue);
    throw new Error(
      `could not write the results to ${options.out} (${(e as Error).message}); the trained model, history and ` +
        `summary were written to ${rescue} instead`,
    );
  }
  print(`Wrote ${join(options.out, 'history.json')}, the model and summary.txt`);
  return { testAccuracy: test.accuracy, testLoss: test.loss! };
}

/**
 * Creates the output folder and proves it writable (a probe file, written and removed) before any training, so
 * an existing file in the way, a read-only file system or a missing permission is reported up front.
 */
export function prepareOutputFolder(out: string): void {
  if (existsSync(out) && !statSync(out).isDirectory())
    throw new Error(`--out ${out} is an existing file, not a folder; choose another --out. Nothing was trained.`);
  const probe = join(out, `.keel-write-test-${process.pid}`);
  try {
    mkdirSync(out, { recursive: true });
    writeFileSync(probe, 'keel');
    rmSync(probe, { force: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(
      `--out ${out} is not writable (${err.code ?? 'error'}: ${err.message}); choose another --out. Nothing was ` +
        'trained.',
    );
  }
}

/** Writes the trained model in the TensorFlow.js layers format (model.json + weights; loads in TF.js and Keras). */
async function saveTrainedModel(model: import('../../nn/model.js').Sequential, dir: string): Promise<void> {
  await model.save(join(dir, 'model'));
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train the model a config describes, with a live progress bar; writes history, weights and a summary')
    .argument('<config>', 'run config JSON file (see examples/fashion-bn-elu.json)')
    .option('--epochs <n>', 'override fit.epochs', positiveInt('--epochs'))
    .option('--out <dir>', 'output folder', 'keel-run')
    .option('--seed <s>', 'override the config seed', integer('--seed'))
    .option(
      '--checkpoint <dir>',
      'write a crash-safe checkpoint (weights, optimizer, RNG, history) to this folder every epoch',
    )
    .option(
      '--checkpoint-every <n>',
      'checkpoint every n batches instead of every epoch',
      positiveInt('--checkpoint-every'),
    )
    .option('--resume', 'continue from the checkpoint in --checkpoint, as if the run had never stopped')
    .addOption(
      new Option(
        '--on-nan <policy>',
        'when the loss or a weight becomes NaN/Inf: stop, or roll back to the last checkpoint with half the ' +
          'learning rate',
      )
        .choices(['stop', 'rollback'])
        .default('stop'),
    )
    .option('--report', 'also write DIR/report.html (loss curves, gradient heatmap, activations, findings)')
    .action(async (configPath: string, opts: TrainOptions) => {
      await runTrain(configPath, opts);
    });
}
