/**
 * compile / fit / evaluate / trainOnBatch (Keras `trainers/trainer.py` semantics).
 * One training step: forward in training mode under a tape, loss, backward,
 * clipping + optimizer update — all on pooled buffers (no per-step garbage but
 * small objects). Training stops, never silently continues, when the loss or a
 * weight turns NaN/Inf.
 */
import { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../tensor/shape.js';
import { alloc, withArena } from '../tensor/arena.js';
import { getGlobalRandom, type RandomState } from '../tensor/rng.js';
import { gradientsOf } from '../autograd/tape.js';
import { kernels } from '../kernels/registry.js';
import { add, mul } from '../ops/elementwise.js';
import type { Variable } from '../autograd/variable.js';
import * as optimizers from './optimizers/index.js';
import * as losses from './losses.js';
import { countCorrect, getMetric, metricKind, type MetricSpec } from './metrics.js';
import {
  Callback,
  matchCallbackState,
  type CallbackLike,
  type CallbackStateEntry,
  type Logs,
  type TrainingParams,
} from './callbacks.js';
import { History } from './history.js';
import type { CompileArgs, FitArgs, Model, ModelData } from './functional.js';
import type { Layer } from './layers/layer.js';
import { diagnoseNonFinite, firstNonFiniteGradient, firstNonFiniteWeight, type NonFiniteReport } from './non-finite.js';

/** A compiled metric of one output; `lossOf` entries are a multi-output model's per-output losses. */
export interface CompiledMetric extends MetricSpec {
  output: number;
  lossOf?: boolean;
}

export interface CompiledState {
  optimizer: optimizers.Optimizer;
  /** The (first) output's loss. */
  loss: losses.LossFunction;
  /** One loss per output, and its weight in the total. */
  losses: losses.LossFunction[];
  lossWeights: number[];
  /** What is logged beside the loss, in order: per-output losses (several outputs), then the compiled metrics. */
  metrics: CompiledMetric[];
  sparseLabels: boolean;
}

/** What a step observer sees on the steps it asks for (buffers are valid only during the call). */
export interface StepView {
  step: number;
  epoch: number;
  loss: number;
  /** Each layer's output for this batch, in layer order. */
  layerOutputs: { layer: Layer; output: Tensor }[];
  /** Trainable variables and their gradients before clipping (after the update, in `afterUpdate`). */
  variables: readonly Variable[];
  grads: readonly Float32Array[];
}

/** Hooks into the training step (the gradient monitor is one). */
export interface StepObserver {
  wantsStep(step: number): boolean;
  beforeUpdate(view: StepView): void;
  afterUpdate(view: StepView): void;
}

/**
 * Where a fit run stands, for checkpointing (nn/checkpoint reads it through
 * `fitProgressOf(model)`). Resuming needs the epoch's shuffled order: the loop
 * shuffles with the global generator at each epoch start, so the generator's
 * state just before that shuffle (`epochStartRng`) plus the number of batches
 * done (`step`) regenerate the order and skip what was done.
 */
export interface FitProgress {
  epoch: number;
  /** Batches completed in this epoch. */
  step: number;
  stepsPerEpoch: number;
  samples: number;
  batchSize: number;
  shuffle: boolean;
  epochStartRng: RandomState;
  /** Running sums behind this epoch's logged loss and metrics (correctSum: the first metric's; correctSums: all). */
  lossSum: number;
  correctSum: number;
  correctSums: number[];
  seen: number;
  history: History;
  /** False when the last step produced a non-finite loss, gradient or weight (no checkpoint should be taken). */
  lastStepFinite: boolean;
  /** fit's callbacks (a checkpoint carries their state). */
  callbacks: readonly Callback[];
}

/** What `fit({resumeFrom})` needs to continue a run exactly (built by loadCheckpoint). */
export interface FitResume {
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  samples: number;
  /** Global generator state before the epoch's shuffle, and at the moment the checkpoint was taken. */
  epochStartRng: RandomState;
  rng: RandomState;
  lossSum: number;
  correctSum: number;
  /** Every metric's sum, when the checkpoint holds them (else only the first metric's resumes mid-epoch). */
  correctSums?: number[];
  seen: number;
  history: ReturnType<History['toJSON']>;
  /** The callbacks' state (restored into fit's callbacks of the same class and index after onTrainBegin). */
  callbackState?: CallbackStateEntry[];
  /** A callback had stopped training when the checkpoint was taken: fit ends at once (as the run did). */
  stopTraining?: boolean;
}

const progressByModel = new WeakMap<Model, FitProgress>();

/** The progress of the fit call running on `model` (undefined outside fit). */
export function fitProgressOf(model: Model): FitProgress | undefined {
  return progressByModel.get(model);
}

/** Builds the default progress callback for verbose 1/2 (registered by the package entry; nn itself never prints). */
export type ProgressFactory = (verbose: 1 | 2) => Callback;
let progressFactory: ProgressFactory | null = null;
export function setProgressFactory(factory: ProgressFactory | null): void {
  progressFactory = factory;
}

/** A per-output setting given as one value, a list by output or an object by output name. */
function perOutput<T>(
  value: T | readonly T[] | Readonly<Record<string, T>>,
  names: readonly string[],
  single: (v: unknown) => boolean,
  where: string,
  /** For an object by name: the value of an output it leaves out (none: every output is required). */
  absent?: T,
): T[] {
  if (single(value)) return names.map(() => value as T);
  if (Array.isArray(value)) {
    if (value.length !== names.length)
      throw new Error(
        `${where}: the model has ${names.length} outputs (${names.join(', ')}); received ${value.length}`,
      );
    return [...(value as T[])];
  }
  const rec = value as Record<string, T>;
  for (const k of Object.keys(rec))
    if (!names.includes(k))
      throw new Error(`${where}: '${k}' is no output of the model; its outputs: ${names.join(', ')}`);
  return names.map((n) => {
    if (n in rec) return rec[n]!;
    if (absent !== undefined) return absent;
    throw new Error(`${where}: no entry for output '${n}'`);
  });
}

export function compileModel(model: Model, args: CompileArgs): CompiledState {
  const where = `${model.where}.compile`;
  if (args === undefined || args.loss === undefined)
    throw new Error(`${where}: a loss is required (e.g. 'sparse_categorical_crossentropy')`);
  const optimizer = optimizers.get(args.optimizer ?? 'rmsprop', `${where} optimizer`);
  const names = model.built ? model.outputNames : ['output'];
  const multi = names.length > 1;
  const isLoss = (v: unknown) =>
    typeof v === 'string' ||
    typeof v === 'function' ||
    (!Array.isArray(v) && typeof v === 'object' && v !== null && 'class_name' in v);
  const lossList = perOutput(args.loss, names, isLoss, `${where} loss`).map((l, i) =>
    losses.get(
      l as Parameters<typeof losses.get>[0],
      args.fromLogits ?? false,
      `${where} loss${multi ? ` (output '${names[i]}')` : ''}`,
    ),
  );
  const lossWeights =
    args.lossWeights === undefined
      ? names.map(() => 1)
      : perOutput(args.lossWeights, names, (v) => typeof v === 'number', `${where} lossWeights`, 1);
  lossWeights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w))
      throw new Error(`${where}: lossWeights for output '${names[i]}' must be a finite number; received ${String(w)}`);
  });
  if (args.metrics !== undefined && (typeof args.metrics !== 'object' || args.metrics === null)) {
    const got = JSON.stringify(args.metrics);
    throw new Error(`${where}: metrics must be a list such as ['accuracy']; received ${got}`);
  }
  const given = args.metrics ?? [];
  // One list for a single output (or the same list for every output when all are plain names), else per output.
  const flat = Array.isArray(given) && given.every((m) => !Array.isArray(m));
  const perOut: unknown[][] = flat
    ? names.map(() => given as unknown[])
    : perOutput(given as Record<string, unknown[]>, names, () => false, `${where} metrics`, []);
  const metrics: CompiledMetric[] = [];
  if (multi) names.forEach((n, o) => metrics.push({ name: `${n}_loss`, kind: 'auto', output: o, lossOf: true }));
  perOut.forEach((list, o) => {
    if (!Array.isArray(list))
      throw new Error(`${where}: metrics for output '${names[o]}' must be a list; received ${JSON.stringify(list)}`);
    for (const m of list) {
      const spec = getMetric(m as string, `${where} metrics`);
      const name = multi ? `${names[o]}_${spec.name}` : spec.name;
      if (!metrics.some((s) => s.name === name)) metrics.push({ ...spec, name, output: o });
    }
  });
  return {
    optimizer,
    loss: lossList[0]!,
    losses: lossList,
    lossWeights,
    metrics,
    sparseLabels: lossList[0]!.lossName === 'sparse_categorical_crossentropy',
  };
}

function requireCompiled(model: Model): CompiledState {
  if (model.compiled === null)
    throw new Error(
      `${model.where} must be compiled before training or evaluation: call model.compile({ optimizer, loss })`,
    );
  if (model.compiled.losses.length !== model.outputs.length && model.built)
    throw new Error(
      `${model.where} was compiled for ${model.compiled.losses.length} output(s) but has ${model.outputs.length}; ` +
        `compile it again`,
    );
  return model.compiled;
}

/** Inputs and targets as lists in the model's order, checked (shapes, sample counts, finite inputs). */
function checkData(model: Model, x: ModelData, y: ModelData, what: string): [Tensor[], Tensor[]] {
  const where = `${model.where}.${what}`;
  const single = (d: ModelData) => (d instanceof Tensor ? [d] : null);
  if (!model.built) {
    const x0 = single(x)?.[0];
    if (x0 === undefined) throw new Error(`${where}: x must be a Tensor (use tensor(values, shape))`);
    if (x0.rank < 2) throw new Error(`${where}: x must be [samples, ...features]; received ${formatShape(x0.shape)}`);
    (model as Model & { build(shape: number[]): void }).build(x0.shape.slice(1));
  }
  const xs = model.inputList(x, 'x');
  const ys = model.targetList(y, 'y');
  for (const t of [...xs, ...ys]) {
    if (!(t instanceof Tensor)) throw new Error(`${where}: x and y must be Tensors (use tensor(values, shape))`);
  }
  for (const t of xs)
    if (t.rank < 2) throw new Error(`${where}: x must be [samples, ...features]; received ${formatShape(t.shape)}`);
  const n = xs[0]!.shape[0];
  for (const t of ys) {
    if (t.shape[0] !== n)
      throw new Error(
        `${where}: x has ${n} samples but y has ${t.shape[0]} (shapes ` +
          `${formatShape(xs[0]!.shape)} and ${formatShape(t.shape)})`,
      );
  }
  model.checkInputs(xs, 'x');
  for (const t of xs) {
    const i = kernels().firstNonFinite(t.data, t.size);
    if (i >= 0)
      throw new Error(`${where}: x contains ${t.data[i]} at sample ${Math.floor(i / (t.size / t.shape[0]!))}`);
  }
  return [xs, ys];
}

/** Copies rows `indices[start..start+rows)` of each tensor into a pooled batch tensor. */
function gatherRows(ts: readonly Tensor[], indices: Int32Array | null, start: number, rows: number): Tensor[] {
  return ts.map((t) => {
    const w = t.size / t.shape[0]!;
    const b = alloc(rows * w);
    for (let r = 0; r < rows; r++) {
      const src = indices === null ? start + r : indices[start + r]!;
      if (w === 1) b[r] = t.data[src]!;
      else b.set(t.data.subarray(src * w, (src + 1) * w), r * w);
    }
    return new Tensor(b, [rows, ...t.shape.slice(1)]);
  });
}

interface StepResult {
  loss: number;
  correct: number[];
  nonFinite: NonFiniteReport | null;
}

/**
 * The loss of a batch (each output's loss times its weight, summed) and, for each logged metric, its sum over
 * the batch (correct predictions; a per-output loss times the rows).
 */
function lossAndMetrics(
  state: CompiledState,
  ys: readonly Tensor[],
  preds: readonly Tensor[],
): { loss: Tensor; perOutput: number[] | null } {
  if (state.losses.length === 1) return { loss: state.losses[0]!(ys[0]!, preds[0]!), perOutput: null };
  let total: Tensor | null = null;
  const perOutput: number[] = [];
  state.losses.forEach((f, o) => {
    const l = f(ys[o]!, preds[o]!);
    perOutput.push(l.data[0]!);
    const w = state.lossWeights[o]!;
    const term = w === 1 ? l : mul(l, w);
    total = total === null ? term : add(total, term);
  });
  return { loss: total!, perOutput };
}

/** Each logged metric's sum over a batch. */
function countAll(
  metrics: readonly CompiledMetric[],
  ys: readonly Tensor[],
  preds: readonly Tensor[],
  perOutput: readonly number[] | null,
): number[] {
  const rows = preds[0]!.shape[0]!;
  return metrics.map((m) =>
    m.lossOf === true
      ? perOutput![m.output]! * rows
      : countCorrect(metricKind(m, ys[m.output]!, preds[m.output]!), ys[m.output]!, preds[m.output]!, m.name),
  );
}

/**
 * The loss plus every layer's regularization penalties (weights' and the last call's activity), as Keras's
 * `compute_loss` adds `model.losses`: differentiated in training, reported by fit, evaluate and trainOnBatch.
 */
function withPenalties(model: Model, loss: Tensor): Tensor {
  let total = loss;
  for (const layer of model.layers) for (const penalty of layer.regularizationLosses()) total = add(total, penalty);
  return total;
}

/** Forward, backward and update for one batch already in pooled tensors. */
function trainStep(
  model: Model,
  state: CompiledState,
  xb: readonly Tensor[],
  yb: readonly Tensor[],
  observers: readonly StepObserver[],
  step: number,
  epoch: number,
): StepResult {
  const variables = model.trainableWeights;
  const watching = observers.filter((o) => o.wantsStep(step));
  const layerOutputs: { layer: Layer; output: Tensor }[] = [];
  // Always kept (one push per layer): if the loss turns non-finite, they show which layer's output did first.
  const observe = (layer: Layer, output: Tensor) => {
    layerOutputs.push({ layer, output });
  };
  let preds: Tensor[] = [];
  let perOutput: number[] | null = null;
  const { value, grads } = gradientsOf(() => {
    preds = model.run(xb, { training: true, observe });
    const lm = lossAndMetrics(state, yb, preds);
    perOutput = lm.perOutput;
    return withPenalties(model, lm.loss);
  }, variables);
  const loss = value.data[0]!;
  const correct = countAll(state.metrics, yb, preds, perOutput);
  const view: StepView = { step, epoch, loss, layerOutputs, variables, grads };
  for (const o of watching) o.beforeUpdate(view);
  if (!Number.isFinite(loss))
    return { loss, correct, nonFinite: diagnoseNonFinite(model.layers, layerOutputs, grads, variables, loss) };
  // A non-finite gradient is reported without applying it, so the weights stay usable (and checkpointable).
  const badGrad = firstNonFiniteGradient(model.layers, grads, variables);
  if (badGrad !== null) return { loss, correct, nonFinite: badGrad };
  state.optimizer.applyInPlace(grads, variables);
  // Keras applies variable constraints right after apply_gradients.
  let constrained = false;
  for (const layer of model.layers) if (layer.applyConstraints()) constrained = true;
  for (const o of watching) o.afterUpdate(view);
  // The new weights' NaN/Inf scan, unless the update rule did it in its own pass and no constraint rewrote them.
  const checked = state.optimizer.weightsCheckedFinite && !constrained;
  return { loss, correct, nonFinite: checked ? null : firstNonFiniteWeight(model.layers, variables) };
}

function toCallback(c: CallbackLike): Callback {
  if (c instanceof Callback) return c;
  const cb = new Callback();
  Object.assign(cb, c);
  return cb;
}

function splitValidation(
  x: Tensor[],
  y: Tensor[],
  fraction: number,
  where: string,
): { train: [Tensor[], Tensor[]]; val: [Tensor[], Tensor[]] | null } {
  if (!(fraction >= 0 && fraction < 1))
    throw new Error(`${where}.fit: validationSplit must be in [0, 1); received ${fraction}`);
  if (fraction === 0) return { train: [x, y], val: null };
  const n = x[0]!.shape[0]!;
  // Keras: the last `fraction` of the samples, taken before any shuffling.
  const split = Math.floor(n * (1 - fraction));
  if (split === 0 || split === n)
    throw new Error(
      `${where}.fit: validationSplit ${fraction} of ${n} samples leaves an empty training or ` + `validation set`,
    );
  const take = (t: Tensor, a: number, b: number) => {
    const w = t.size / t.shape[0]!;
    return new Tensor(t.data.subarray(a * w, b * w), [b - a, ...t.shape.slice(1)]);
  };
  const part = (ts: Tensor[], a: number, b: number) => ts.map((t) => take(t, a, b));
  const val: [Tensor[], Tensor[]] = [part(x, split, n), part(y, split, n)];
  for (const t of val[1]) warnIfOneClass(t, fraction, where);
  return { train: [part(x, 0, split), part(y, 0, split)], val };
}

/**
 * Keras takes the validation tail before shuffling, so data stored class by class validates on one class
 * (val_accuracy 0 every epoch). Labels are class ids ([n] or [n, 1]) or one-hot rows ([n, k]).
 */
function warnIfOneClass(yVal: Tensor, fraction: number, where: string): void {
  const n = yVal.shape[0]!;
  const width = yVal.size / n;
  if (n < 2) return;
  const classOf = (i: number): number => {
    if (width === 1) return yVal.data[i]!;
    let best = 0;
    for (let k = 1; k < width; k++) if (yVal.data[i * width + k]! > yVal.data[i * width + best]!) best = k;
    return best;
  };
  const first = classOf(0);
  for (let i = 1; i < n; i++) if (classOf(i) !== first) return;
  const message =
    `${where}.fit: the validation set (the last ${fraction} of the samples, taken before ` +
    `shuffling, as in Keras) holds only class ${first}, so val_accuracy says nothing.\nhelp: shuffle the data ` +
    `first (datasets.*.loadData() returns it shuffled) or pass validationData`;
  if (typeof process !== 'undefined' && typeof process.emitWarning === 'function')
    process.emitWarning(message, { code: 'KEEL_ONE_CLASS_VALIDATION' });
  else console.warn(message);
}

const nextTick: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : () => new Promise((resolve) => setTimeout(resolve, 0));

export async function fitModel(model: Model, x: ModelData, y: ModelData, args: FitArgs): Promise<History> {
  const state = requireCompiled(model);
  const [xl, yl] = checkData(model, x, y, 'fit');
  const epochs = args.epochs ?? 1;
  const batchSize = args.batchSize ?? 32;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new Error(`${model.where}.fit: epochs must be a non-negative integer; received ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize <= 0)
    throw new Error(`${model.where}.fit: batchSize must be a positive integer; received ${batchSize}`);
  const { train, val: splitVal } = splitValidation(xl, yl, args.validationSplit ?? 0, model.where);
  const val = args.validationData
    ? checkData(model, args.validationData[0], args.validationData[1], 'fit validationData')
    : splitVal;
  const [xt, yt] = train;
  const n = xt[0]!.shape[0]!;
  const steps = Math.ceil(n / batchSize);
  const verbose = args.verbose ?? 1;
  const given = (args.callbacks ?? []).map(toCallback);
  if (verbose > 0 && progressFactory !== null) given.push(progressFactory(verbose as 1 | 2));
  // Checkpoint writers last, so that what they save holds the other callbacks' updated state.
  const callbacks = [...given.filter((c) => !c.writesCheckpoints), ...given.filter((c) => c.writesCheckpoints)];
  const writers = callbacks.filter((c) => c.writesCheckpoints);
  const observers = callbacks.filter(
    (c): c is Callback & StepObserver => typeof (c as Partial<StepObserver>).wantsStep === 'function',
  );
  if (args.onNaN !== undefined && args.onNaN !== 'stop' && args.onNaN !== 'rollback')
    throw new Error(`${model.where}.fit: onNaN must be 'stop' or 'rollback'; received ${JSON.stringify(args.onNaN)}`);
  for (const c of callbacks) c.setModel(model);
  // A callback may restore a saved run (BackupAndRestore); its backup is newer than any resumeFrom given.
  let restored = args.resumeFrom ?? null;
  for (const c of callbacks) restored = (await c.restoreTraining(callbacks)) ?? restored;
  const resume = restored;
  if (resume !== null) checkResume(model, resume, steps, n);
  const where = `${model.where}.fit resumeFrom`;
  const callbackStates = resume?.callbackState ? matchCallbackState(callbacks, resume.callbackState, where) : [];
  const params: TrainingParams = {
    epochs,
    steps,
    batchSize,
    samples: n,
    verbose,
    initialEpoch: resume?.epoch ?? args.initialEpoch ?? 0,
  };
  for (const c of callbacks) c.setParams(params);

  const history = new History();
  if (resume !== null) restoreHistory(history, resume.history);
  const rng = getGlobalRandom();
  const shuffle = args.shuffle ?? true;
  const progress: FitProgress = {
    epoch: params.initialEpoch,
    step: 0,
    stepsPerEpoch: steps,
    samples: n,
    batchSize,
    shuffle,
    epochStartRng: rng.getState(),
    lossSum: 0,
    correctSum: 0,
    correctSums: state.metrics.map(() => 0),
    seen: 0,
    history,
    lastStepFinite: true,
    callbacks,
  };
  progressByModel.set(model, progress);
  model.stopTraining = false;
  for (const c of callbacks) await c.onTrainBegin();
  for (const [c, s] of callbackStates) c.setState(s);
  if (resume?.stopTraining === true) model.stopTraining = true;
  const indices = new Int32Array(n);
  let lastYield = Date.now();
  for (let epoch = params.initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    for (const c of callbacks) await c.onEpochBegin(epoch);
    // Resuming mid-epoch: the same generator state before the shuffle gives the same order;
    // afterwards the generator continues from where the checkpoint left it.
    const resuming = resume !== null && epoch === resume.epoch;
    if (resuming) rng.setState(resume.epochStartRng);
    progress.epoch = epoch;
    progress.epochStartRng = rng.getState();
    for (let i = 0; i < n; i++) indices[i] = i;
    if (shuffle) shuffleInPlace(indices);
    // (A checkpoint at step 0 — an epoch's end — was taken before this shuffle: the generator goes on from it.)
    if (resuming && resume.step > 0) rng.setState(resume.rng);
    let lossSum = resuming ? resume.lossSum : 0,
      seen = resuming ? resume.seen : 0;
    // Per metric: its correct count and the samples it was counted over (a metric whose
    // sum the checkpoint does not hold restarts its epoch average at the resume point).
    const sums = state.metrics.map((_m, i) =>
      resuming ? ((i === 0 ? resume.correctSum : resume.correctSums?.[i]) ?? 0) : 0,
    );
    const counted = state.metrics.map((_m, i) =>
      resuming && (i === 0 || resume.correctSums?.[i] !== undefined) ? resume.seen : 0,
    );
    const metricLogs = (logs: Logs) => {
      state.metrics.forEach((m, i) => {
        logs[m.name] = sums[i]! / Math.max(1, counted[i]!);
      });
    };
    for (let b = resuming ? resume.step : 0; b < steps && !model.stopTraining; b++) {
      const start = b * batchSize,
        rows = Math.min(batchSize, n - start);
      const globalStep = epoch * steps + b;
      for (const c of callbacks) await c.onBatchBegin(b);
      const result = withArena(() => {
        const xb = gatherRows(xt, indices, start, rows);
        const yb = gatherRows(yt, indices, start, rows);
        return trainStep(model, state, xb, yb, observers, globalStep, epoch);
      });
      lossSum += result.loss * rows;
      seen += rows;
      result.correct.forEach((c, i) => {
        sums[i]! += c;
        counted[i]! += rows;
      });
      Object.assign(progress, {
        step: b + 1,
        lossSum,
        correctSum: sums[0] ?? 0,
        correctSums: [...sums],
        seen,
        lastStepFinite: result.nonFinite === null,
      });
      const logs: Logs = { loss: lossSum / seen, batch_loss: result.loss };
      metricLogs(logs);
      for (const c of callbacks) await c.onBatchEnd(b, logs);
      if (result.nonFinite !== null) {
        const nf = result.nonFinite;
        history.nonFinite = {
          epoch,
          step: b,
          layer: nf.layer,
          message: stopMessage(`epoch ${epoch + 1}, step ${b + 1} (global step ${globalStep + 1})`, nf),
        };
        model.stopTraining = true;
      }
      if (Date.now() - lastYield > 50) {
        await nextTick();
        lastYield = Date.now();
      }
    }
    const logs: Logs = { loss: lossSum / Math.max(1, seen) };
    metricLogs(logs);
    if (val !== null && history.nonFinite === null) {
      const v = evaluateLists(model, val[0], val[1], batchSize);
      for (const [k, value] of Object.entries(v)) logs[`val_${k}`] = value;
    }
    // As Keras's History (appended after the user's callbacks): it records what they add (learning_rate).
    for (const c of callbacks) if (!c.writesCheckpoints) await c.onEpochEnd(epoch, logs);
    history.record(epoch, logs);
    for (const c of writers) await c.onEpochEnd(epoch, logs);
  }
  // Keras: with use_ema the weights take their moving averages when fit ends (not after a NaN stop, which
  // keeps the last finite weights).
  if (epochs > 0 && history.nonFinite === null) state.optimizer.finalizeVariableValues(model.trainableWeights);
  for (const c of callbacks) await c.onTrainEnd(history.nonFinite ? { nonFinite: 1 } : {});
  // (If fit throws, the entry stays until the next fit replaces it; a WeakMap does not leak the model.)
  progressByModel.delete(model);
  return history;
}

/** A checkpoint only fits the same data split and batch size (else the shuffled order differs). */
function checkResume(model: Model, resume: FitResume, steps: number, samples: number): void {
  if (resume.samples !== samples || resume.stepsPerEpoch !== steps) {
    throw new Error(
      `${model.where}.fit resumeFrom: the checkpoint was taken with ${resume.samples} training ` +
        `samples and ${resume.stepsPerEpoch} steps per epoch, this call has ${samples} and ${steps}; resume ` +
        `with the same data, validationSplit and batchSize`,
    );
  }
  if (!(resume.step >= 0 && resume.step <= steps))
    throw new Error(`${model.where}.fit resumeFrom: step ${resume.step} is outside [0, ${steps}]`);
}

function restoreHistory(history: History, saved: FitResume['history']): void {
  history.epoch.push(...saved.epoch);
  for (const [k, v] of Object.entries(saved.history)) history.history[k] = [...v];
  history.rollbacks.push(...(saved.rollbacks ?? []));
}

function shuffleInPlace(indices: Int32Array): void {
  const rng = getGlobalRandom();
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = indices[i]!;
    indices[i] = indices[j]!;
    indices[j] = t;
  }
}

export function evaluateModel(model: Model, x: ModelData, y: ModelData, batchSize: number): Record<string, number> {
  requireCompiled(model);
  const [xs, ys] = checkData(model, x, y, 'evaluate');
  return evaluateLists(model, xs, ys, batchSize);
}

function evaluateLists(model: Model, xs: Tensor[], ys: Tensor[], batchSize: number): Record<string, number> {
  const state = requireCompiled(model);
  const n = xs[0]!.shape[0]!;
  let lossSum = 0;
  const correct = state.metrics.map(() => 0);
  for (let start = 0; start < n; start += batchSize) {
    const rows = Math.min(batchSize, n - start);
    withArena(() => {
      const xb = gatherRows(xs, null, start, rows);
      const yb = gatherRows(ys, null, start, rows);
      const preds = model.run(xb, { training: false });
      const lm = lossAndMetrics(state, yb, preds);
      lossSum += withPenalties(model, lm.loss).data[0]! * rows;
      countAll(state.metrics, yb, preds, lm.perOutput).forEach((c, i) => {
        correct[i]! += c;
      });
    });
  }
  const out: Record<string, number> = { loss: lossSum / n };
  state.metrics.forEach((m, i) => {
    out[m.name] = correct[i]! / n;
  });
  return out;
}

/** The stop message of fit and trainOnBatch: where, what became non-finite, and what to try. */
function stopMessage(where: string, nf: NonFiniteReport): string {
  const remedies = 'Try a smaller learning rate, gradient clipping (clipnorm=1.0) or a better-scaled initializer.';
  return `Training stopped at ${where}: ${nf.description}. ${remedies}`;
}

/**
 * What trainOnBatch throws when the loss, a gradient or an updated weight is NaN/Inf
 * (fit, instead, stops and reports the same message in history.nonFinite).
 * The model's weights and the optimizer's state are those from before the step.
 */
export class NonFiniteTrainingError extends Error {
  constructor(
    message: string,
    /** The optimizer step (1-based) that was refused. */
    readonly step: number,
    /** The layer named in the message, or null when the loss itself became non-finite. */
    readonly layer: string | null,
    /** The batch's loss (finite when a gradient or weight is what failed). */
    readonly loss: number,
  ) {
    super(message);
    this.name = 'NonFiniteTrainingError';
  }
}

/**
 * One optimizer step on one batch; returns its loss and metrics. Throws a
 * NonFiniteTrainingError (naming the step and the layer, as fit's stop message does)
 * when the loss, a gradient or an updated weight is NaN/Inf, after putting back the
 * weights and optimizer state from before the step: a non-finite update is never kept.
 */
export function trainOnBatch(model: Model, x: ModelData, y: ModelData): Record<string, number> {
  const state = requireCompiled(model);
  const [xs, ys] = checkData(model, x, y, 'trainOnBatch');
  const rows = xs[0]!.shape[0]!;
  const optimizer = state.optimizer;
  const step = optimizer.iterations;
  // Snapshot (weights incl. non-trainable state such as batch-norm moving statistics, optimizer slots, iterations).
  const weights = model.weights;
  const savedWeights = weights.map((v) => Float32Array.from(v.data));
  const savedSlots = model.trainableWeights.map((v) => optimizer.getSlots(v)?.map((a) => Float32Array.from(a)));
  const result = withArena(() => {
    return trainStep(model, state, gatherRows(xs, null, 0, rows), gatherRows(ys, null, 0, rows), [], step, 0);
  });
  if (result.nonFinite !== null) {
    weights.forEach((v, i) => {
      v.data.set(savedWeights[i]!);
    });
    model.trainableWeights.forEach((v, i) => {
      const now = optimizer.getSlots(v);
      const before = savedSlots[i];
      if (before !== undefined) optimizer.setSlots(v, before);
      else if (now !== undefined) optimizer.setSlots(v, optimizer.freshSlots(v)); // as before its first update
    });
    optimizer.iterations = step;
    const where = `${model.where}.trainOnBatch step ${step + 1}`;
    throw new NonFiniteTrainingError(
      `${stopMessage(where, result.nonFinite)} The weights and optimizer state are those from before this step.`,
      step + 1,
      result.nonFinite.layer,
      result.loss,
    );
  }
  const out: Record<string, number> = { loss: result.loss };
  state.metrics.forEach((m, i) => {
    out[m.name] = result.correct[i]! / rows;
  });
  return out;
}
