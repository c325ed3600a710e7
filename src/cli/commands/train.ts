/**
 * `keel train config.json [--epochs N] [--batch-size N] [--lr X] [--out DIR] [--seed S] [--checkpoint DIR
 * [--resume]] [--on-nan stop|rollback] [--report] [--quiet | --verbose]`: trains with a live progress bar and
 * the doctor's live findings, evaluates on the test split, and writes DIR/history.json, the trained model
 * (TF.js layers format in DIR/model; `--out DIR/model.keras` or `.safetensors` writes that file instead),
 * DIR/summary.txt and optionally DIR/report.html.
 *
 * Exit codes: 0 trained; 1 error, or training stopped on NaN/Inf (history written, the model NOT written);
 * 130 interrupted by Ctrl-C (history and a resumable checkpoint written first).
 */
import type { Command } from 'commander';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
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
import { integer, positiveInt, positiveNumber } from '../options.js';
import type { Callback } from '../../nn/callbacks.js';
import { ProgressLogger } from '../../report/progress.js';
import { LiveFindings } from '../../health/live-findings.js';
import { ReportRecorder, writeReport } from '../../report/html/index.js';
import { fitProgressOf } from '../../nn/training.js';
import { positionOf } from '../../nn/checkpoint/model-checkpoint.js';
import { saveCheckpoint } from '../../nn/checkpoint/index.js';
import { Callback as CallbackBase } from '../../nn/callbacks.js';
import type { Sequential } from '../../nn/model.js';
import { compactSummary } from '../compact-summary.js';
import { colourEnabled, paint } from '../colour.js';

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
  batchSize?: number;
  lr?: number;
  /** No model table, no progress: findings and the result only. */
  quiet?: boolean;
  /** The full Keras model table (default: repeated blocks folded). */
  verbose?: boolean;
  /** Set from `--out x.keras` / `x.safetensors`: the trained model's file (`out` is then its folder). */
  modelFile?: string;
}

/** How a run ended, for the exit code. */
export type TrainOutcome = 'trained' | 'non-finite' | 'interrupted';

/**
 * Ctrl-C: the first SIGINT stops training after the current step, saves a resumable checkpoint and lets
 * the command write the history; a second one exits at once.
 */
class InterruptSaver extends CallbackBase {
  interrupted = false;
  saved: string | null = null;
  private requested = false;
  private readonly onSignal = () => {
    if (this.requested) process.exit(130);
    this.requested = true;
    process.stderr.write('\nkeel: interrupted; stopping after this step (Ctrl-C again to quit at once)\n');
  };
  constructor(private readonly dir: string) {
    super();
  }
  override onTrainBegin(): void {
    process.on('SIGINT', this.onSignal);
  }
  override async onBatchEnd(): Promise<void> {
    if (!this.requested || this.interrupted) return;
    this.interrupted = true;
    const model = this.model as Sequential;
    const p = fitProgressOf(model);
    if (p !== undefined && p.lastStepFinite) {
      await saveCheckpoint(this.dir, {
        model,
        position: positionOf(p, false),
        history: p.history,
        callbacks: p.callbacks,
      });
      this.saved = this.dir;
    }
    model.stopTraining = true;
  }
  override onTrainEnd(): void {
    process.off('SIGINT', this.onSignal);
  }
}

export async function runTrain(
  configPath: string,
  options: TrainOptions,
): Promise<{ testAccuracy: number | undefined; testLoss: number; outcome: TrainOutcome }> {
  // --out x.keras / x.safetensors: the model goes to that file, the other results to the folder it is in.
  const modelFile = /\.(keras|safetensors)$/i.test(options.out) ? options.out : null;
  if (/\.(h5|hdf5)$/i.test(options.out))
    throw new Error(
      `--out ${options.out}: Keel reads legacy Keras 2 .h5 files but writes .keras (Keras 3) or .safetensors; ` +
        'choose one of those. Nothing was trained.',
    );
  if (modelFile !== null) options = { ...options, out: dirname(modelFile), modelFile };
  const config = parseRunConfig(configPath);
  if (options.seed !== undefined) config.seed = options.seed;
  if (options.resume === true && options.checkpoint === undefined)
    throw new Error('--resume needs --checkpoint DIR (the folder to resume from)');
  if (options.quiet === true && options.verbose === true) throw new Error('--quiet and --verbose exclude each other');
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const say = options.quiet === true ? () => {} : print;
  const colour = colourEnabled(process.stdout);
  // Everything that can be checked is checked before training: the output folder first.
  prepareOutputFolder(options.out);
  const data = loadRunData(config);
  say(
    `Data: ${data.name}, ${data.x.shape[0]} training and ${data.xTest.shape[0]} test examples, ` +
      `${data.inputShape[0]} features${data.standardized ? ' (standardized)' : ''}`,
  );
  const model = buildModel(config, data.inputShape);
  if (options.lr !== undefined) model.compiled!.optimizer.learningRate = options.lr;
  for (const warning of checkDataFitsModel(config, model, data)) print(warning);
  const summary = model.summary(null);
  say(options.verbose === true ? summary : compactSummary(model, data.inputShape));
  // The doctor watches every run and prints a finding (with a remedy) as soon as it sees one.
  const findings = new LiveFindings({
    print: (line, severity) => print(paint(line, severity === 'error' ? 'error' : 'warning', colour)),
  });
  const callbacks: Callback[] = [findings];
  if (options.quiet !== true) callbacks.unshift(new ProgressLogger(1));
  const recorder = options.report
    ? new ReportRecorder({
        title: configPath,
        subtitle: `${data.name}, ${data.x.shape[0]} training examples`,
        x: data.x,
        layers: config.layers,
        numClasses: data.numClasses,
      })
    : null;
  if (recorder) callbacks.push(recorder);
  const fingerprint = runFingerprint(config, data);
  // One run per checkpoint folder (released when this run ends, or taken over once its process is gone).
  const unlock = options.checkpoint !== undefined ? lockFolder(options.checkpoint, '--checkpoint folder') : null;
  try {
    return await trainWith(options, { config, data, model, summary, callbacks, recorder, fingerprint, print, say });
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
    say: (line: string) => void;
  },
): Promise<{ testAccuracy: number | undefined; testLoss: number; outcome: TrainOutcome }> {
  const { config, data, model, summary, callbacks, recorder, fingerprint, print, say } = run;
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
  const interrupt = new InterruptSaver(options.checkpoint ?? join(options.out, 'checkpoint'));
  callbacks.push(interrupt);
  const onNaN = options.onNan ?? 'stop';
  const history = await model.fit(
    data.x,
    data.y,
    fitArgsOf(config, {
      epochs: options.epochs ?? config.fit.epochs,
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      verbose: 0,
      callbacks,
      resumeFrom,
      onNaN,
      checkpointDir: onNaN === 'rollback' ? join(options.out, 'rollback') : undefined,
    }),
  );
  mkdirSync(options.out, { recursive: true });
  const historyPath = join(options.out, 'history.json');
  if (history.nonFinite !== null) {
    // The weights hold NaN/Inf: write what happened, never the model as if it were a result.
    writeFileAtomic(historyPath, JSON.stringify(history.toJSON(), null, 2));
    process.stderr.write(
      `${paint(history.nonFinite.message, 'error', colourEnabled(process.stderr))}\n` +
        `keel: training stopped on a non-finite value; wrote ${historyPath} (the model was not written)\n`,
    );
    return { testAccuracy: undefined, testLoss: NaN, outcome: 'non-finite' };
  }
  if (interrupt.interrupted) {
    writeFileAtomic(historyPath, JSON.stringify(history.toJSON(), null, 2));
    const resume = interrupt.saved !== null ? `--checkpoint ${interrupt.saved} --resume` : '';
    process.stderr.write(
      `keel: interrupted after ${history.epoch.length} complete epoch(s); wrote ${historyPath}` +
        `${interrupt.saved !== null ? ` and a checkpoint in ${interrupt.saved}; continue with ${resume}` : ''}\n`,
    );
    return { testAccuracy: undefined, testLoss: NaN, outcome: 'interrupted' };
  }
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
    const file = options.modelFile;
    const target = file === undefined ? join(dir, 'model') : dir === options.out ? file : join(dir, basename(file));
    await saveTrainedModel(model, target);
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
  say(`Wrote ${historyPath}, the model and summary.txt`);
  return { testAccuracy: test.accuracy, testLoss: test.loss!, outcome: 'trained' };
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

/**
 * Writes the trained model: a folder in the TensorFlow.js layers format (model.json + weights), or the .keras /
 * .safetensors file `--out` named (a rescue folder gets a file of that name).
 */
async function saveTrainedModel(model: import('../../nn/model.js').Sequential, path: string): Promise<void> {
  await model.save(path);
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train the model a config describes, with a live progress bar; writes history, weights and a summary')
    .argument('<config>', 'run config JSON file (see examples/fashion-bn-elu.json)')
    .option('--epochs <n>', 'override fit.epochs', positiveInt('--epochs'))
    .option('--batch-size <n>', 'override fit.batch_size', positiveInt('--batch-size'))
    .option('--lr <x>', "override the optimizer's learning rate", positiveNumber('--lr'))
    .option(
      '--out <dir>',
      'output folder, or a model file (x.keras, x.safetensors) whose folder gets the rest',
      'keel-run',
    )
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
    .option('--quiet', 'no model table and no progress: findings and the result only')
    .option('--verbose', 'the full model table, one row per layer (default: repeated blocks folded)')
    .action(async (configPath: string, opts: TrainOptions) => {
      const { outcome } = await runTrain(configPath, opts);
      if (outcome !== 'trained') process.exitCode = outcome === 'interrupted' ? 130 : 1;
    });
}
