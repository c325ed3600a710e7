/**
 * The lab's training worker: Keel itself, running off the page's thread. It
 * builds the network from the settings, trains with fit(), and streams the
 * probe's per-layer statistics, activation histograms and the doctor's
 * findings to the page about ten times a second.
 */
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
  trialFindings,
  type StepRecord,
} from '../../src/report/doctor-adapter.js';
import { ActivationSampler } from '../../src/report/html/histograms.js';
import { CallbackGroup } from '../../src/report/html/combine.js';
import type { HistogramSet } from '../../src/report/html/charts/ridgeline.js';
import type { FromWorker, ToWorker } from './protocol.js';
import type { LabSettings } from './settings.js';
import { loadLabData } from './data.js';
import { describe, layerConfigs, optimizerConfig } from './model-config.js';

const post = (m: FromWorker) => (self as unknown as { postMessage(m: FromWorker): void }).postMessage(m);
const PROBE_EVERY = 5;
const FLUSH_MS = 100;

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
  readonly probe = createProbe(PROBE_EVERY, (r) => {
    this.records.push(r);
  });
  readonly sampler = new ActivationSampler({
    steps: (s) => s % (PROBE_EVERY * 4) === 0,
    latestOnly: true,
    onSample: (h) => {
      this.histograms = h;
    },
  });

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
    this.flush();
  }

  flush(paused = false): void {
    const now = performance.now();
    const rate = this.lastFlush > 0 ? ((this.step - this.stepsAtFlush) * 1000) / (now - this.lastFlush) : 0;
    post({
      type: 'progress',
      step: this.step,
      epoch: this.epoch,
      losses: this.losses,
      records: this.records,
      histograms: this.histograms,
      findings: trialFindings(this.probe.history),
      epochs: this.epochs,
      stepsPerSecond: rate,
      paused,
    });
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
  const features = data.train.x.length / data.train.numExamples;
  const tensors = (d: typeof data.train) =>
    [new Tensor(d.x, [d.numExamples, features]), new Tensor(d.y, [d.numExamples])] as const;
  const [x, y] = tensors(data.train),
    [xv, yv] = tensors(data.test);
  setSeed(s.seed);
  resetLayerNames();
  const layers = layerConfigs(s, data.classes);
  const model = buildSequential(layers, [features], 'lab');
  model.compile({
    optimizer: optimizers.get(optimizerConfig(s), 'lab optimizer'),
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy'],
  });
  const theory = predictTheory(model, x, s.batchSize);
  const stepsPerEpoch = Math.ceil(data.train.numExamples / s.batchSize);
  post({
    type: 'started',
    kernels: backend,
    network: describe(s, features, data.classes),
    dataName: data.name,
    trainSize: data.train.numExamples,
    stepsPerEpoch,
    lintAndTheory: [...lintFindings(layers), ...theoryFindingsOf(theory)],
  });
  const streamer = new Streamer();
  pacer.flush = (paused) => streamer.flush(paused);
  const history = await model.fit(x, y, {
    epochs: s.epochs,
    batchSize: s.batchSize,
    validationData: [xv, yv],
    verbose: 0,
    callbacks: [new CallbackGroup([streamer.probe, streamer.sampler, streamer]), pacer],
  });
  post({ type: 'done', reason: history.nonFinite?.message ?? `finished ${s.epochs} epochs` });
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  if (e.data.type === 'control') pacer.control(e.data);
  else if (e.data.type === 'start')
    run(e.data.settings).catch((err: unknown) =>
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
};
