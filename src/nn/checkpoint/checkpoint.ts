/**
 * Training checkpoints: everything needed to continue a run as if it had never
 * stopped — weights (incl. BatchNormalization moving statistics), optimizer
 * state (iterations, learning rate, per-variable slots, Nadam's uProduct), the
 * position in training (epoch, batches done, the generator state before the
 * epoch's shuffle, the epoch's running loss sums), the global generator, every
 * layer's own state (`Layer.getState()`: Dropout's mask generator...), the callbacks' state
 * (`Callback.getState()`: EarlyStopping's and ReduceLROnPlateau's counters...), and the history.
 *
 * One file per checkpoint directory (format.ts), written to a temporary name,
 * fsynced and renamed: a crash at any moment leaves the previous checkpoint intact.
 */
import type { Model } from '../functional.js';
import type { History } from '../history.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Variable } from '../../autograd/variable.js';
import { getGlobalRandom } from '../../tensor/rng.js';
import { formatShape } from '../../tensor/shape.js';
import type { FitResume } from '../training.js';
import { collectCallbackState, matchCallbackState, type Callback, type CallbackStateEntry } from '../callbacks.js';
import { isPlainObject } from '../serialization/validate.js';
import { joinPath, nodeFs, removeStaleTemps, writeFileAtomic } from '../serialization/atomic.js';
import { CHECKPOINT_FILE, decodeCheckpoint, encodeCheckpoint, type CheckpointHeader } from './format.js';

export type CheckpointPosition = NonNullable<CheckpointHeader['position']>;

export interface CheckpointState {
  model: Model;
  /** Default: the model's compiled optimizer, if any. */
  optimizer?: Optimizer | null;
  /** Where training stands (ModelCheckpoint fills it from the running fit); null outside fit. */
  position?: CheckpointPosition | null;
  history?: History | null;
  /** fit's callbacks, whose state (`getState()`) the checkpoint carries (ModelCheckpoint passes them). */
  callbacks?: readonly Callback[];
  /** What the run trains on (e.g. hashes of its data and config), returned by loadCheckpoint to compare. */
  fingerprint?: Record<string, string>;
}

export interface LoadedCheckpoint {
  /** Epoch and batches done in it at the time of the checkpoint (null position: taken outside fit). */
  position: CheckpointPosition | null;
  history: CheckpointHeader['history'];
  /** Pass as fit's `resumeFrom` to continue exactly where the checkpoint was taken. */
  resume: FitResume | null;
  learningRate: number | null;
  /** The fingerprint saved with the checkpoint, if any. */
  fingerprint: Record<string, string> | null;
}

type Tensors = Parameters<typeof encodeCheckpoint>[1];

/** A copy of `value` with each Float32Array moved into `tensors` (as {$tensor: index}). */
function extractTensors(value: unknown, tensors: Tensors, name: string, where: string): unknown {
  if (value instanceof Float32Array) {
    tensors.push({ entry: { name, kind: 'callback', shape: [value.length] }, data: value });
    return { $tensor: tensors.length - 1 };
  }
  if (Array.isArray(value)) return value.map((v) => extractTensors(v, tensors, name, where));
  if (ArrayBuffer.isView(value))
    throw new Error(`${where}: a callback's state may hold Float32Arrays but not ${value.constructor.name}`);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = extractTensors(v, tensors, name, where);
    return out;
  }
  return value;
}

/** The inverse of extractTensors: {$tensor: i} → a copy of header.tensors[i]'s data. */
function insertTensors(value: unknown, header: CheckpointHeader, data: Float32Array, where: string): unknown {
  if (Array.isArray(value)) return value.map((v) => insertTensors(v, header, data, where));
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$tensor') {
    const i = value.$tensor;
    const t = typeof i === 'number' ? header.tensors[i] : undefined;
    if (t === undefined || t.kind !== 'callback')
      throw new Error(`${where}: {"$tensor": ${String(i)}} does not name a callback tensor of the checkpoint`);
    return Float32Array.from(data.subarray(t.offset, t.offset + t.length));
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = insertTensors(value[k], header, data, where);
  return out;
}

function slotOwner(optimizer: Optimizer): { uProduct?: number } {
  return optimizer as unknown as { uProduct?: number };
}

/** Writes a checkpoint of `state` into `dir` (created if needed). */
export async function saveCheckpoint(dir: string, state: CheckpointState): Promise<void> {
  const { model } = state;
  const optimizer = state.optimizer === undefined ? (model.compiled?.optimizer ?? null) : state.optimizer;
  const tensors: Tensors = model.weights.map((w) => ({
    entry: { name: w.name, kind: 'weight' as const, shape: [...w.shape] },
    data: w.data,
  }));
  let optimizerHeader: CheckpointHeader['optimizer'] = null;
  if (optimizer !== null) {
    const slotNames = optimizer.slotNames();
    for (const v of model.trainableWeights) {
      const slots = optimizer.getSlots(v);
      if (slots === undefined) continue;
      slots.forEach((s, i) =>
        tensors.push({ entry: { name: v.name, kind: 'slot', slot: slotNames[i]!, shape: [...v.shape] }, data: s }),
      );
    }
    optimizerHeader = {
      className: optimizer.className,
      iterations: optimizer.iterations,
      learningRate: optimizer.learningRate,
      slotNames,
    };
    const u = slotOwner(optimizer).uProduct;
    if (typeof u === 'number') optimizerHeader.uProduct = u;
  }
  const layerState = model.layers.flatMap((l) => {
    const state = l.getState();
    return state === null || state === undefined ? [] : [{ layer: l.name, state }];
  });
  const callbackState =
    state.callbacks === undefined
      ? undefined
      : collectCallbackState(state.callbacks).map((e) => ({
          ...e,
          state: extractTensors(e.state, tensors, `${e.callback}#${e.index}`, `saveCheckpoint ${dir}`),
        }));
  const bytes = encodeCheckpoint(
    {
      modelName: model.name,
      position: state.position ?? null,
      optimizer: optimizerHeader,
      globalRng: getGlobalRandom().getState(),
      layerState,
      ...(callbackState !== undefined ? { callbackState } : {}),
      ...(state.fingerprint !== undefined ? { fingerprint: { ...state.fingerprint } } : {}),
      history: state.history ? state.history.toJSON() : null,
    },
    tensors,
  );
  const fs = await nodeFs();
  await fs.mkdir(dir, { recursive: true });
  await removeStaleTemps(dir);
  await writeFileAtomic(joinPath(dir, CHECKPOINT_FILE), bytes);
}

/** Whether `dir` holds a checkpoint. */
export async function hasCheckpoint(dir: string): Promise<boolean> {
  const fs = await nodeFs();
  return fs.stat(joinPath(dir, CHECKPOINT_FILE)).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Restores a checkpoint into `model` (same architecture) and its optimizer:
 * weights, optimizer state, dropout generators and the global generator.
 * Everything is validated before anything is changed, including the callbacks' saved
 * state against `options.callbacks` when given (fit restores that state into its callbacks
 * from `resume.callbackState`, validating it again).
 * @example const ckpt = await loadCheckpoint('ckpt', model); await model.fit(x, y, { epochs: 10, resumeFrom:
 * ckpt.resume });
 */
export async function loadCheckpoint(
  dir: string,
  model: Model,
  options: { optimizer?: Optimizer | null; callbacks?: readonly Callback[] } = {},
): Promise<LoadedCheckpoint> {
  const fs = await nodeFs();
  const path = joinPath(dir, CHECKPOINT_FILE);
  const bytes = await fs.readFile(path).catch(() => {
    throw new Error(`loadCheckpoint: no checkpoint in '${dir}' (${CHECKPOINT_FILE} is missing)`);
  });
  const { header, data } = decodeCheckpoint(bytes, path);
  const optimizer = options.optimizer === undefined ? (model.compiled?.optimizer ?? null) : options.optimizer;
  // Validate everything first.
  const resolve = resolveVariables(header, model, path);
  const weights = new Map<Variable, Float32Array>();
  const slots = new Map<Variable, Map<string, Float32Array>>();
  for (const t of header.tensors) {
    if (t.kind === 'callback') continue;
    const v = resolve.get(t.name)!;
    if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i]))
      throw new Error(
        `${path}: '${t.name}' is stored with shape ${formatShape(t.shape)} but the model's weight '${v.name}' has ` +
          `${formatShape(v.shape)}`,
      );
    const values = data.subarray(t.offset, t.offset + t.length);
    if (t.kind === 'weight') weights.set(v, values);
    else {
      const m = slots.get(v) ?? new Map<string, Float32Array>();
      m.set(t.slot!, values);
      slots.set(v, m);
    }
  }
  const missing = model.weights.filter((w) => !weights.has(w));
  if (missing.length > 0)
    throw new Error(
      `${path}: the checkpoint lacks weights ${missing.map((w) => `'${w.name}'`).join(', ')} of model '${model.name}'`,
    );
  if (header.optimizer !== null && optimizer !== null) checkOptimizer(header.optimizer, optimizer, slots, path);
  const stateful = model.layers.filter((l) => l.getState() !== null && l.getState() !== undefined);
  if (stateful.length !== header.layerState.length) {
    throw new Error(
      `${path}: the checkpoint has the state of ${header.layerState.length} layers (` +
        `${header.layerState.map((d) => d.layer).join(', ')}) but model '${model.name}' has ${stateful.length} ` +
        `layers with state (${stateful.map((l) => l.name).join(', ')})`,
    );
  }
  stateful.forEach((l, i) => l.validateState(header.layerState[i]!.state, `${path} layerState[${i}]`));
  const callbackState: CallbackStateEntry[] | undefined = header.callbackState?.map((e, i) => ({
    callback: e.callback,
    index: e.index,
    state: insertTensors(e.state, header, data, `${path} callbackState[${i}]`),
  }));
  if (callbackState !== undefined && options.callbacks !== undefined) {
    // A callback checks its state against the model (EarlyStopping's best weights), as fit will set it.
    for (const c of options.callbacks) if (c.model === null) c.setModel(model);
    matchCallbackState(options.callbacks, callbackState, path);
  }
  // Restore.
  for (const w of model.weights) w.assign(weights.get(w)!);
  if (header.optimizer !== null && optimizer !== null)
    restoreOptimizer(header.optimizer, optimizer, slots, model.trainableWeights);
  stateful.forEach((l, i) => l.setState(header.layerState[i]!.state));
  getGlobalRandom().setState(header.globalRng);
  const p = header.position;
  const resume: FitResume | null =
    p === null
      ? null
      : {
          epoch: p.epoch,
          step: p.step,
          stepsPerEpoch: p.stepsPerEpoch,
          samples: p.samples,
          epochStartRng: p.epochStartRng,
          rng: header.globalRng,
          lossSum: p.lossSum,
          correctSum: p.correctSum,
          seen: p.seen,
          ...(p.correctSums !== undefined ? { correctSums: [...p.correctSums] } : {}),
          ...(p.stopTraining === true ? { stopTraining: true } : {}),
          ...(callbackState !== undefined ? { callbackState } : {}),
          history: {
            epoch: header.history?.epoch ?? [],
            history: header.history?.history ?? {},
            nonFinite: null,
            rollbacks: header.history?.rollbacks ?? [],
          },
        };
  return {
    position: p,
    history: header.history,
    resume,
    learningRate: header.optimizer?.learningRate ?? null,
    fingerprint: header.fingerprint ?? null,
  };
}

/**
 * Checkpoint weight name → model variable: by name when every name is found
 * (the usual case), else by position when the weights line up in count and
 * shape (automatic layer names such as dense_3 depend on what else the process
 * created; Keras's own weight files are matched by topology order too).
 */
function resolveVariables(header: CheckpointHeader, model: Model, path: string): Map<string, Variable> {
  const stored = header.tensors.filter((t) => t.kind === 'weight');
  const named = header.tensors.filter((t) => t.kind !== 'callback');
  const byName = new Map(model.weights.map((w) => [w.name, w]));
  if (stored.every((t) => byName.has(t.name))) {
    const map = new Map<string, Variable>();
    for (const t of named) {
      const v = byName.get(t.name);
      if (v === undefined)
        throw new Error(`${path}: optimizer slot for '${t.name}', which is not a weight of model '${model.name}'`);
      map.set(t.name, v);
    }
    return map;
  }
  const own = model.weights;
  const lineUp =
    stored.length === own.length &&
    stored.every((t, i) => t.shape.length === own[i]!.shape.length && t.shape.every((d, j) => d === own[i]!.shape[j]));
  if (!lineUp) {
    const i = stored.findIndex((t, k) => own[k] === undefined || t.shape.join() !== own[k]!.shape.join());
    throw new Error(
      `${path}: the checkpoint's weights do not fit model '${model.name}': ${stored.length} stored vs ` +
        `${own.length} in the model; first difference at #${i}: stored '${stored[i]?.name}' ` +
        `${stored[i] ? formatShape(stored[i]!.shape) : '(none)'} vs model '${own[i]?.name}' ` +
        `${own[i] ? formatShape(own[i]!.shape) : '(none)'}`,
    );
  }
  const map = new Map(stored.map((t, i) => [t.name, own[i]!] as const));
  for (const t of named)
    if (!map.has(t.name))
      throw new Error(`${path}: optimizer slot for '${t.name}', which is not a weight of the checkpoint`);
  return map;
}

function checkOptimizer(
  saved: NonNullable<CheckpointHeader['optimizer']>,
  optimizer: Optimizer,
  slots: Map<Variable, Map<string, Float32Array>>,
  path: string,
): void {
  if (saved.className !== optimizer.className)
    throw new Error(
      `${path}: the checkpoint holds ${saved.className} state but the model is compiled with ${optimizer.className}`,
    );
  const names = optimizer.slotNames();
  if (names.join(',') !== saved.slotNames.join(','))
    throw new Error(
      `${path}: the checkpoint's ${saved.className} has slots [${saved.slotNames.join(', ')}] but this one has [` +
        `${names.join(', ')}] (different momentum/centered/amsgrad settings?)`,
    );
  for (const [variable, m] of slots) {
    const have = names.filter((n) => m.has(n));
    if (have.length !== names.length)
      throw new Error(
        `${path}: variable '${variable.name}' has slots [${[...m.keys()].join(', ')}]; expected [${names.join(', ')}]`,
      );
  }
}

function restoreOptimizer(
  saved: NonNullable<CheckpointHeader['optimizer']>,
  optimizer: Optimizer,
  slots: Map<Variable, Map<string, Float32Array>>,
  variables: readonly Variable[],
): void {
  optimizer.iterations = saved.iterations;
  // The rate at the saved step: a number, or the factor on a schedule (which resumes from iterations).
  optimizer.restoreLearningRate(saved.learningRate);
  if (saved.uProduct !== undefined) slotOwner(optimizer).uProduct = saved.uProduct;
  const names = optimizer.slotNames();
  for (const v of variables) {
    const m = slots.get(v);
    // No saved slots = the optimizer had not touched it yet: a fresh slot (zeros; Adagrad's start value).
    const fresh = optimizer.freshSlots(v);
    optimizer.setSlots(
      v,
      names.map((n, i) => m?.get(n) ?? fresh[i]!),
    );
  }
}
