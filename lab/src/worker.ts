/**
 * The lab's training worker: Keel itself, running off the page's thread. It
 * builds the network from the settings, trains with fit(), and streams the
 * probe's per-layer statistics, activation histograms and the doctor's
 * findings to the page about ten times a second.
 */
import { Model } from '../../src/nn/functional.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { setSeed } from '../../src/tensor/rng.js';
import { resetLayerNames } from '../../src/nn/layers/layer.js';
import { buildSequential } from '../../src/run-config/model-spec.js';
import * as optimizers from '../../src/nn/optimizers/index.js';
import { Callback, type Logs } from '../../src/nn/callbacks.js';
import { setKernelBackend } from '../../src/kernels/registry.js';
import { createWasmBackendAsync } from '../../src/kernels/wasm/index.js';
import {
  createProbe,
  lintFindings,
  predictTheory,
  theoryFindingsOf,
  throughTimeFindingsOf,
  trialFindings,
  type StepRecord,
} from '../../src/report/doctor-adapter.js';
import { CallbackGroup } from '../../src/report/html/combine.js';
import type { HistogramSet } from '../../src/report/html/charts/ridgeline.js';
import type { StepObserver, StepView } from '../../src/nn/training.js';
import type { Sequential } from '../../src/nn/model.js';
import type { DecisionGrid, FromWorker, ToWorker } from './protocol.js';
import type { LabSettings } from './settings.js';
import { loadLabData } from './data.js';
import { robustHistogramSet } from './histograms.js';
import { describe, layerConfigs, optimizerConfig } from './model-config.js';

const post = (m: FromWorker) => (self as unknown as { postMessage(m: FromWorker): void }).postMessage(m);
const PROBE_EVERY = 5;
/** The probe samples every one of the first steps (where an explosion happens), then every PROBE_EVERY-th. */
const PROBE_ALL_BEFORE = 50;
const FLUSH_MS = 100;
/** The decision grid: GRID × GRID cells, predicted at most every GRID_EVERY steps. */
const GRID = 48;
const GRID_EVERY = 20;

/** Histograms of every layer's output at the chosen steps, on the lab's robust axis. */
class HistogramSampler extends Callback implements StepObserver {
  constructor(
    private readonly chosen: (step: number) => boolean,
    private readonly onSample: (h: HistogramSet) => void,
  ) {
    super();
  }
  wantsStep(step: number): boolean {
    return this.chosen(step);
  }
  beforeUpdate(view: StepView): void {
    const layers = view.layerOutputs.map(({ layer, output }) => ({ name: layer.name, data: output.data }));
    this.onSample(robustHistogramSet(view.step, layers));
  }
  afterUpdate(): void {}
}

/** The model's class prediction over a grid a little larger than the 2-D data. */
function decisionGrid(model: Sequential, x: Float32Array, step: number): DecisionGrid | null {
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (let i = 0; i < x.length; i += 2) {
    x0 = Math.min(x0, x[i]!);
    x1 = Math.max(x1, x[i]!);
    y0 = Math.min(y0, x[i + 1]!);
    y1 = Math.max(y1, x[i + 1]!);
  }
  const padX = (x1 - x0) * 0.08 || 1,
    padY = (y1 - y0) * 0.08 || 1;
  [x0, x1, y0, y1] = [x0 - padX, x1 + padX, y0 - padY, y1 + padY];
  const g = new Float32Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++)
    for (let c = 0; c < GRID; c++) {
      const k = (r * GRID + c) * 2;
      g[k] = x0 + ((c + 0.5) / GRID) * (x1 - x0);
      g[k + 1] = y1 - ((r + 0.5) / GRID) * (y1 - y0);
    }
  const p = model.predict(new Tensor(g, [GRID * GRID, 2]), { batchSize: GRID * GRID }).data;
  // A model whose outputs became NaN has no boundary: the last finite one stays on the page.
  if (!p.every(Number.isFinite)) return null;
  const k = p.length / (GRID * GRID);
  const classes: number[] = [],
    confidence: number[] = [];
  for (let i = 0; i < GRID * GRID; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (p[i * k + j]! > p[i * k + best]!) best = j;
    classes.push(best);
    confidence.push(p[i * k + best]!);
  }
  return { step, n: GRID, x0, x1, y0, y1, classes, confidence };
}

async function kernels(): Promise<'wasm' | 'js'> {
  try {
    setKernelBackend(await createWasmBackendAsync({ sharedMemory: false, threads: 1 }));
    return 'wasm';
  } catch {
    return 'js';
  }
}

/** Collects what happened since the last message and posts it every FLUSH_MS. */
class Streamer extends Callback {
  private losses: number[] = [];
  private records: StepRecord[] = [];
  private epochs: { epoch: number; logs: Record<string, number> }[] = [];
  private histograms: HistogramSet | null = null;
  private lastFlush = 0;
  private step = 0;
  private epoch = 0;
  private stepsAtFlush = 0;
  private grid: DecisionGrid | null = null;
  private gridStep = -Infinity;
  readonly probe = createProbe(PROBE_EVERY, (r) => {
    this.records.push(r);
  });
  readonly sampler = new HistogramSampler(
    (s) => s % (PROBE_EVERY * 4) === 0,
    (h) => {
      this.histograms = h;
    },
  );
  /** Set for the 2-D sets: predicts the decision grid. */
  gridOf: ((step: number) => DecisionGrid | null) | null = null;

  constructor() {
    super();
    const every = this.probe.wantsStep.bind(this.probe);
    this.probe.wantsStep = (step) => step < PROBE_ALL_BEFORE || every(step);
  }

  /** A new decision grid when the last one is GRID_EVERY steps old (and always at the end). */
  private takeGrid(force: boolean): void {
    if (this.gridOf === null || this.step === this.gridStep) return;
    if (!force && this.step - this.gridStep < GRID_EVERY) return;
    this.grid = this.gridOf(this.step) ?? this.grid;
    this.gridStep = this.step;
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }
  override onBatchEnd(_b: number, logs: Logs = {}): void {
    this.losses.push(logs.batch_loss ?? logs.loss ?? NaN);
    this.step++;
    if (performance.now() - this.lastFlush > FLUSH_MS) this.flush();
  }
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epochs.push({ epoch, logs: { ...logs } });
  }
  override onTrainEnd(): void {
    this.flush(false, true);
  }

  flush(paused = false, final = false): void {
    const now = performance.now();
    this.takeGrid(paused || final);
    const rate = this.lastFlush > 0 ? ((this.step - this.stepsAtFlush) * 1000) / (now - this.lastFlush) : 0;
    post({
      type: 'progress',
      step: this.step,
      epoch: this.epoch,
      losses: this.losses,
      records: this.records,
      histograms: this.histograms,
      findings: trialFindings(this.probe.history, this.model instanceof Model ? this.model : undefined),
      epochs: this.epochs,
      stepsPerSecond: rate,
      paused,
      grid: this.grid,
    });
    this.grid = null;
    this.losses = [];
    this.records = [];
    this.epochs = [];
    this.histograms = null;
    this.lastFlush = now;
    this.stepsAtFlush = this.step;
  }
}

/**
 * Pause, single steps and a speed limit, between training steps. fit() yields to the event loop about every
 * 50 ms, which is when control messages arrive; awaiting here holds training at a step boundary.
 */
class Pacer extends Callback {
  paused = false;
  stepsPerSecond = 0;
  private wake: (() => void) | null = null;
  private stepsAllowed = 0;
  private lastStep = 0;
  /** Posts what the page has not seen yet (so a paused view is the current one). */
  flush: (paused: boolean) => void = () => {};
  control(m: { paused?: boolean; step?: boolean; stepsPerSecond?: number }): void {
    if (m.paused !== undefined) this.paused = m.paused;
    if (m.stepsPerSecond !== undefined) this.stepsPerSecond = m.stepsPerSecond;
    if (m.step === true) this.stepsAllowed++;
    this.wake?.();
  }
  override async onBatchEnd(): Promise<void> {
    if (this.paused && this.stepsAllowed === 0) this.flush(true);
    while (this.paused && this.stepsAllowed === 0) await new Promise<void>((r) => (this.wake = r));
    if (this.stepsAllowed > 0) this.stepsAllowed--;
    if (this.stepsPerSecond > 0) {
      const wait = 1000 / this.stepsPerSecond - (performance.now() - this.lastStep);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    this.lastStep = performance.now();
  }
}
const pacer = new Pacer();

async function run(s: LabSettings): Promise<void> {
  const backend = await kernels();
  const data = await loadLabData(s);
  const regress = data.classes === 0;
  const tensors = (d: typeof data.train) =>
    [
      new Tensor(d.x, [d.numExamples, ...data.featureShape]),
      new Tensor(d.y, regress ? [d.numExamples, 1] : [d.numExamples]),
    ] as const;
  const [x, y] = tensors(data.train),
    [xv, yv] = tensors(data.test);
  setSeed(s.seed);
  resetLayerNames();
  const layers = layerConfigs(s, data.classes);
  const model = buildSequential(layers, data.featureShape, 'lab');
  model.compile({
    optimizer: optimizers.get(optimizerConfig(s), 'lab optimizer'),
    loss: regress ? 'mse' : 'sparse_categorical_crossentropy',
    metrics: regress ? [] : ['accuracy'],
  });
  const features = data.featureShape.at(-1)!;
  const twoD = !regress && data.featureShape.length === 1 && features === 2;
  const theory = predictTheory(model, x, s.batchSize);
  const stepsPerEpoch = Math.ceil(data.train.numExamples / s.batchSize);
  post({
    type: 'started',
    kernels: backend,
    network: describe(s, features, data.classes),
    dataName: data.name,
    trainSize: data.train.numExamples,
    stepsPerEpoch,
    lintAndTheory: [...lintFindings(layers), ...theoryFindingsOf(theory), ...throughTimeFindingsOf(model, x)],
    task: regress ? 'regress' : 'classify',
    points: twoD
      ? {
          x: Array.from({ length: data.train.numExamples }, (_, i) => data.train.x[2 * i]!),
          y: Array.from({ length: data.train.numExamples }, (_, i) => data.train.x[2 * i + 1]!),
          label: Array.from(data.train.y),
        }
      : null,
  });
  const streamer = new Streamer();
  if (twoD) streamer.gridOf = (step) => decisionGrid(model, data.train.x, step);
  pacer.flush = (paused) => streamer.flush(paused);
  const history = await model.fit(x, y, {
    epochs: s.epochs,
    batchSize: s.batchSize,
    validationData: [xv, yv],
    verbose: 0,
    callbacks: [new CallbackGroup([streamer.probe, streamer.sampler, streamer]), pacer],
  });
  const nonFinite = history.nonFinite !== undefined && history.nonFinite !== null;
  post({ type: 'done', reason: history.nonFinite?.message ?? `finished ${s.epochs} epochs`, nonFinite });
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  if (e.data.type === 'control') pacer.control(e.data);
  else if (e.data.type === 'start')
    run(e.data.settings).catch((err: unknown) =>
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
};
