/**
 * fit's onNaN 'rollback' policy: train with checkpoints in
 * `checkpointDir/step-<global step>`; when the loss, a gradient or a weight
 * becomes NaN/Inf, restore a checkpoint (weights, optimizer state, generators,
 * position, history), halve the learning rate and continue from there.
 *
 * Which checkpoint: the newest one — unless the run failed again before writing
 * any checkpoint since the last rollback, which means the newest one already
 * holds a diverging state (weights finite but huge); then the one before it,
 * and so on back to the checkpoint taken before training started. The last
 * KEEP checkpoints are kept. After `maxRollbacks` rollbacks it stops exactly as
 * 'stop' would, with history.nonFinite set. Each rollback is recorded in
 * history.rollbacks.
 */
import { Tensor } from '../../tensor/tensor.js';
import type { FitArgs, Model, ModelData } from '../functional.js';
import type { History } from '../history.js';
import { fitModel, type FitResume } from '../training.js';
import { getGlobalRandom } from '../../tensor/rng.js';
import { joinPath, nodeFs } from '../serialization/atomic.js';
import { ModelCheckpoint } from './model-checkpoint.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';

const KEEP = 4;

/** Global steps of the checkpoints in `dir` (subdirectories step-N), newest first. */
async function checkpointSteps(dir: string): Promise<number[]> {
  const fs = await nodeFs();
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names
    .map((n) => /^step-(\d+)$/.exec(n))
    .filter((m) => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
}

async function prune(dir: string, keep: number[]): Promise<void> {
  const fs = await nodeFs();
  for (const step of await checkpointSteps(dir)) {
    if (!keep.includes(step)) await fs.rm(joinPath(dir, `step-${step}`), { recursive: true, force: true });
  }
}

export async function fitWithRollback(model: Model, x: ModelData, y: ModelData, args: FitArgs): Promise<History> {
  const where = `${model.where}.fit (onNaN 'rollback')`;
  const dir = args.checkpointDir;
  if (typeof dir !== 'string' || dir.length === 0)
    throw new Error(`${where}: checkpointDir is required (the directory to roll back from)`);
  const maxRollbacks = args.maxRollbacks ?? 5;
  if (!Number.isInteger(maxRollbacks) || maxRollbacks < 0)
    throw new Error(`${where}: maxRollbacks must be a non-negative integer; received ${maxRollbacks}`);
  if (model.compiled === null)
    throw new Error(`${model.where} must be compiled before training: call model.compile({ optimizer, loss })`);
  const optimizer = model.compiled.optimizer;
  const checkpoint = new ModelCheckpoint({
    filepath: joinPath(dir, 'step-{step}'),
    saveFreq: args.checkpointFreq ?? 'epoch',
  });
  const callbacks = [...(args.callbacks ?? []), checkpoint];
  let resume: FitResume | null = args.resumeFrom ?? null;
  const first = x instanceof Tensor ? x : Array.isArray(x) ? x[0] : Object.values(x)[0];
  if (!(first instanceof Tensor)) throw new Error(`${where}: x must be a Tensor, a list or an object of Tensors`);
  const samples = Math.floor(first.shape[0]! * (1 - (args.validationSplit ?? 0)));
  const stepsPerEpoch = Math.ceil(samples / (args.batchSize ?? 32));
  const startStep =
    resume !== null ? resume.epoch * stepsPerEpoch + resume.step : (args.initialEpoch ?? 0) * stepsPerEpoch;
  // A starting point to roll back to before the first periodic checkpoint exists.
  if (!model.built) (model as Model & { build(s: number[]): void }).build(first.shape.slice(1));
  const rng = getGlobalRandom().getState();
  await saveCheckpoint(joinPath(dir, `step-${startStep}`), {
    model,
    optimizer,
    history: null,
    position:
      resume !== null
        ? {
            epoch: resume.epoch,
            step: resume.step,
            stepsPerEpoch,
            samples,
            epochStartRng: resume.epochStartRng,
            lossSum: resume.lossSum,
            correctSum: resume.correctSum,
            seen: resume.seen,
          }
        : {
            epoch: args.initialEpoch ?? 0,
            step: 0,
            stepsPerEpoch,
            samples,
            epochStartRng: rng,
            lossSum: 0,
            correctSum: 0,
            seen: 0,
          },
  });
  const rollbacks: History['rollbacks'] = [...(resume?.history.rollbacks ?? [])];
  let lastTarget: number | null = null;
  for (;;) {
    const before = checkpoint.saved.length;
    const history = await fitModel(model, x, y, { ...args, callbacks, resumeFrom: resume, onNaN: 'stop' });
    history.rollbacks.splice(0, history.rollbacks.length, ...rollbacks);
    const steps = await checkpointSteps(dir);
    if (history.nonFinite === null) return history;
    if (rollbacks.length >= maxRollbacks) {
      history.nonFinite.message +=
        ` (gave up after ${rollbacks.length} rollback` + `${rollbacks.length === 1 ? '' : 's'} with onNaN 'rollback')`;
      return history;
    }
    // No checkpoint written since the last rollback: go one further back than last time.
    const noProgress: boolean = lastTarget !== null && checkpoint.saved.length === before;
    const older: number[] = steps.filter((s) => lastTarget === null || !noProgress || s < lastTarget);
    const target: number = older[0] ?? steps[steps.length - 1]!;
    await prune(dir, [...steps.filter((s) => s <= target).slice(0, KEEP), startStep]);
    const failedLr = optimizer.learningRate;
    const failedScale = optimizer.learningRateSchedule === null ? 1 : optimizer.learningRateScale;
    const loaded = await loadCheckpoint(joinPath(dir, `step-${target}`), model);
    // A schedule keeps its shape at half its rates; a constant rate is halved.
    if (optimizer.learningRateSchedule === null) optimizer.learningRate = failedLr / 2;
    else optimizer.learningRateScale = failedScale / 2;
    rollbacks.push({
      epoch: history.nonFinite.epoch,
      step: history.nonFinite.step,
      message: history.nonFinite.message,
      learningRate: optimizer.learningRate,
    });
    lastTarget = target;
    resume =
      loaded.resume === null
        ? null
        : { ...loaded.resume, history: { ...loaded.resume.history, rollbacks: [...rollbacks] } };
  }
}
