/**
 * The doctor for a model built in code: `health.diagnose(model, { x, y }, opts)`. Lints the model's layers and the
 * data, then trains a copy of the compiled model (same weights, same optimizer settings; the model itself is not
 * touched) for a short trial under the probe on all but a validation split, judges it on that split in inference
 * mode against chance, and ranks the findings into one primary cause.
 *
 * @example
 *   model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
 *   const d = await health.diagnose(model, { x, y });
 *   console.log(d.rootCause.text);
 */
import type { Model } from '../nn/functional.js';
import type { Tensor } from '../tensor/tensor.js';
import { modelFromKerasJson } from '../nn/serialization/index.js';
import { Sequential } from '../nn/model.js';
import { layerFromConfig } from '../nn/layers/index.js';
import { lintConfig } from './lint.js';
import { splitForTrial, trainUnderProbe, type TrialResult } from './trial.js';
import { theoryFindings } from './theory-findings.js';
import { throughTimeFindings } from './through-time.js';
import { rootCause, type RootCause } from './root-cause.js';
import type { HeldOut } from './baseline.js';
import { SEVERITY_RANK, type Finding } from './types.js';
import { checkArgs } from '../util/args.js';

export interface DiagnoseModelOptions {
  /** Trial length in optimizer steps (default 150). */
  steps?: number;
  /** Batch size of the trial (default 32). */
  batchSize?: number;
  /** Number of classes (classification; default: largest label + 1). */
  numClasses?: number;
}

export interface ModelDiagnosis {
  findings: Finding[];
  heldOut: HeldOut | null;
  rootCause: RootCause;
  trial: TrialResult;
}

/** A compiled copy of a compiled model: same layers, weights, optimizer settings and loss. */
function compiledCopy(model: Model): Model {
  const state = model.compiled;
  if (state === null)
    throw new Error(
      `health.diagnose: model '${model.name}' is not compiled\nhelp: call model.compile({ optimizer, loss }) first`,
    );
  let copy: Model;
  if (model instanceof Sequential) {
    const seq = new Sequential(
      model.layers.map((l, i) => layerFromConfig({ class_name: l.className, config: l.getConfig() }, `layers[${i}]`)),
    );
    const shape = model.getInputShape();
    if (shape !== null && !seq.built) seq.build(shape);
    copy = seq;
  } else copy = modelFromKerasJson(model.toJSON());
  copy.setWeights(model.getWeights());
  const opt = state.optimizer;
  copy.compile({ optimizer: { class_name: opt.className, config: opt.getConfig() }, loss: state.loss });
  return copy;
}

export async function diagnoseModel(
  model: Model,
  data: { x: Tensor; y: Tensor },
  opts: DiagnoseModelOptions = {},
): Promise<ModelDiagnosis> {
  const positive = { type: 'number', integer: true, min: 1 } as const;
  checkArgs(opts, { steps: positive, batchSize: positive, numClasses: positive }, 'health.diagnose');
  const copy = compiledCopy(model);
  const lossName = model.compiled!.loss.lossName;
  let maxLabel = 0;
  for (const v of data.y.data) if (v > maxLabel) maxLabel = v;
  const trialData = splitForTrial({
    name: 'data',
    x: data.x,
    y: data.y,
    xTest: data.x,
    yTest: data.y,
    inputShape: data.x.shape.slice(1),
    numClasses: opts.numClasses ?? Math.round(maxLabel) + 1,
    classNames: null,
    standardized: false,
    trainOrigin: (i) => `example ${i}`,
    testOrigin: (i) => `example ${i}`,
  });
  const trial = await trainUnderProbe(copy, trialData, lossName, {
    steps: opts.steps ?? 150,
    batchSize: opts.batchSize ?? 32,
  });
  const findings = [
    ...lintConfig({
      layers: model.layers.map((l) => ({ class_name: l.className, config: l.getConfig() })),
      compile: { optimizer: 'sgd', loss: lossName, metrics: [] },
      fit: { batch_size: opts.batchSize ?? 32 },
    }),
    ...theoryFindings(trial.theory),
    ...throughTimeFindings(trial.throughTime),
    ...trial.symptoms,
  ].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  return { findings, heldOut: trial.heldOut, rootCause: rootCause(findings), trial };
}
