/**
 * The checkpoint file, one file so that a single rename commits it:
 *
 *   bytes 0–7   "KEELCKPT"
 *   bytes 8–11  uint32 LE: format version (2)
 *   bytes 12–15 uint32 LE: header length H
 *   bytes 16–19 uint32 LE: FNV-1a checksum of every byte from 20 to the end (header, padding and data)
 *   20 … 20+H   UTF-8 JSON header (CheckpointHeader), then zero padding to a multiple of 4
 *   then        float32 LE tensor data, back to back in header.tensors order
 *
 * The header carries the data's byte length, and the checksum covers the header as well as the data, so a
 * truncated or corrupted file — a flipped bit in the learning rate, the position or the generator state as
 * much as in a weight — is detected before anything is restored. Version 1 files (no bytes 16–19, header from
 * byte 16, a checksum of the tensor data only in header.checksum) are still read.
 * Non-finite numbers in the header (a history holding NaN) are written as
 * {"$num": "NaN"} because JSON has no NaN.
 */
import { checkRandomState, type RandomState } from '../../tensor/rng.js';
import { checkShape, LIMITS } from '../serialization/weights.js';
import { isPlainObject, typeError } from '../serialization/validate.js';
import { LITTLE_ENDIAN, swap32 } from '../../util/endian.js';

export const CHECKPOINT_FILE = 'checkpoint.keel';
const MAGIC = 'KEELCKPT';
const VERSION = 2;
/** Version 1: the checksum (in the JSON header) covered the tensor data only. */
const VERSION_1 = 1;
const MAX_HEADER_BYTES = 64 * 1024 * 1024;

export interface TensorEntry {
  name: string;
  /** 'callback': a Float32Array of a callback's state, referenced from callbackState as {"$tensor": index}. */
  kind: 'weight' | 'slot' | 'callback';
  slot?: string;
  shape: number[];
  offset: number;
  length: number;
}

export interface CheckpointHeader {
  format: 'keel-checkpoint';
  version: number;
  modelName: string;
  /** Where training stands; null for a checkpoint taken outside fit. */
  position: {
    epoch: number;
    step: number;
    stepsPerEpoch: number;
    samples: number;
    epochStartRng: RandomState;
    lossSum: number;
    correctSum: number;
    seen: number;
    /** Every metric's running sum (correctSum is the first's); absent in checkpoints from before several metrics. */
    correctSums?: number[];
    /** Set when a callback had stopped training (EarlyStopping) when the checkpoint was taken. */
    stopTraining?: boolean;
  } | null;
  optimizer: {
    className: string;
    iterations: number;
    learningRate: number;
    slotNames: string[];
    uProduct?: number;
  } | null;
  globalRng: RandomState;
  /** Each layer's non-weight state (`Layer.getState()`, e.g. a dropout mask generator), in layer order. */
  layerState: { layer: string; state: unknown }[];
  /**
   * Callbacks' state (`Callback.getState()`: EarlyStopping's counters...), keyed by class name and index
   * among the stateful callbacks of that class; Float32Arrays inside are {"$tensor": i} (header.tensors[i]).
   * Absent in checkpoints taken without callbacks.
   */
  callbackState?: { callback: string; index: number; state: unknown }[];
  history: {
    epoch: number[];
    history: Record<string, number[]>;
    nonFinite: unknown;
    rollbacks?: { epoch: number; step: number; message: string; learningRate: number }[];
  } | null;
  /**
   * What the run was trained on, as the caller described it (keel train: hashes of the data and of the config's
   * sections), so a resume on other data or another config is refused. Absent when not given.
   */
  fingerprint?: Record<string, string>;
  tensors: TensorEntry[];
  dataBytes: number;
  /** Version 1 only: FNV-1a of the tensor data (version 2 keeps its checksum in bytes 16–19, over everything). */
  checksum?: number;
}

function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** Where the JSON header starts in a file of the given version. */
const headerStart = (version: number) => (version === VERSION_1 ? 16 : 20);

function replacer(_k: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? { $num: String(v) } : v;
}
function reviver(_k: string, v: unknown): unknown {
  if (isPlainObject(v) && typeof v.$num === 'string' && Object.keys(v).length === 1) {
    if (v.$num === 'NaN') return NaN;
    if (v.$num === 'Infinity') return Infinity;
    if (v.$num === '-Infinity') return -Infinity;
  }
  return v;
}

/** Serializes header + tensors (given in header.tensors order). Fills offsets, dataBytes and checksum. */
export function encodeCheckpoint(
  header: Omit<CheckpointHeader, 'tensors' | 'dataBytes' | 'checksum' | 'format' | 'version'>,
  tensors: { entry: Omit<TensorEntry, 'offset' | 'length'>; data: Float32Array }[],
): Uint8Array {
  const total = tensors.reduce((n, t) => n + t.data.length, 0);
  const data = new Float32Array(total);
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    data.set(t.data, offset);
    entries.push({ ...t.entry, offset, length: t.data.length });
    offset += t.data.length;
  }
  const dataBytes = new Uint8Array(data.buffer);
  if (!LITTLE_ENDIAN) swap32(dataBytes);
  const full: CheckpointHeader = {
    format: 'keel-checkpoint',
    version: VERSION,
    ...header,
    tensors: entries,
    dataBytes: dataBytes.length,
  };
  const json = new TextEncoder().encode(JSON.stringify(full, replacer));
  const start = headerStart(VERSION);
  const dataStart = Math.ceil((start + json.length) / 4) * 4;
  const out = new Uint8Array(dataStart + dataBytes.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, json.length, true);
  out.set(json, start);
  out.set(dataBytes, dataStart);
  view.setUint32(16, fnv1a(out.subarray(start)), true);
  return out;
}

/** Random.getState() words are 32-bit patterns, signed or unsigned (setState applies >>> 0). */
const checkRngState = checkRandomState;

function checkNumber(v: unknown, where: string, integer = false): number {
  if (typeof v !== 'number' || (integer ? !Number.isSafeInteger(v) || v < 0 : Number.isNaN(v)))
    throw typeError(where, integer ? 'a non-negative integer' : 'a number', v);
  return v;
}

/** Parses and checks a checkpoint file; returns the header and the tensor data (validated against it). */
export function decodeCheckpoint(bytes: Uint8Array, where: string): { header: CheckpointHeader; data: Float32Array } {
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC)
    throw new Error(`${where}: not a Keel checkpoint (missing the KEELCKPT signature)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true),
    headerLength = view.getUint32(12, true);
  if (version !== VERSION && version !== VERSION_1)
    throw new Error(
      `${where}: checkpoint format version ${version} is not supported (this Keel reads versions ` +
        `${VERSION_1} and ${VERSION})`,
    );
  const start = headerStart(version);
  if (headerLength > MAX_HEADER_BYTES || start + headerLength > bytes.length)
    throw new Error(
      `${where}: header length ${headerLength} does not fit in the ${bytes.length}-byte file (truncated?)`,
    );
  // Version 2: the checksum covers the header too; a damaged file is refused once its length is checked (so a
  // truncated file is called truncated), before any of its values is read.
  const damaged =
    version === VERSION && view.getUint32(16, true) !== fnv1a(bytes.subarray(start))
      ? new Error(
          `${where}: checksum mismatch: the checkpoint is corrupted (its header or its tensor data changed after ` +
            'it was written)',
        )
      : null;
  let header: CheckpointHeader;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, start + headerLength)),
      reviver,
    ) as CheckpointHeader;
  } catch (e) {
    throw damaged ?? new Error(`${where}: the checkpoint header is not valid JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(header) || header.format !== 'keel-checkpoint')
    throw damaged ?? new Error(`${where}: the header is not a keel-checkpoint header`);
  const told = header.dataBytes;
  if (damaged !== null) {
    const dataStartOf = Math.ceil((start + headerLength) / 4) * 4;
    if (typeof told === 'number' && bytes.length - dataStartOf < told)
      throw new Error(
        `${where}: the file holds ${Math.max(0, bytes.length - dataStartOf)} bytes of tensor data but its header ` +
          `says ${told} (truncated or corrupted)`,
      );
    throw damaged;
  }
  if (header.version !== version)
    throw new Error(`${where}: the header says version ${String(header.version)} but the file is version ${version}`);
  const dataStart = Math.ceil((start + headerLength) / 4) * 4;
  const dataBytes = checkNumber(header.dataBytes, `${where} dataBytes`, true);
  if (bytes.length - dataStart !== dataBytes)
    throw new Error(
      `${where}: the file holds ${Math.max(0, bytes.length - dataStart)} bytes of tensor data but its header says ` +
        `${dataBytes} (truncated or corrupted)`,
    );
  if (!Array.isArray(header.tensors) || header.tensors.length > LIMITS.maxWeights * 4)
    throw typeError(`${where} tensors`, 'an array', header.tensors);
  let expectedOffset = 0;
  header.tensors.forEach((t, i) => {
    const tw = `${where} tensors[${i}]`;
    if (
      !isPlainObject(t) ||
      typeof t.name !== 'string' ||
      (t.kind !== 'weight' && t.kind !== 'slot' && t.kind !== 'callback') ||
      (t.kind === 'slot' && typeof t.slot !== 'string')
    )
      throw typeError(tw, '{name, kind, slot?, shape, offset, length}', t);
    const size = checkShape(t.shape, tw);
    if (t.offset !== expectedOffset || t.length !== size)
      throw new Error(
        `${tw} ('${t.name}'): offset/length ${t.offset}/${t.length} do not follow the previous tensor (expected ` +
          `${expectedOffset}/${size})`,
      );
    expectedOffset += size;
  });
  if (expectedOffset * 4 !== dataBytes)
    throw new Error(`${where}: the tensors need ${expectedOffset * 4} bytes but the header says ${dataBytes}`);
  const raw = bytes.slice(dataStart);
  if (version === VERSION_1 && fnv1a(raw) !== header.checksum)
    throw new Error(`${where}: checksum mismatch: the tensor data is corrupted`);
  if (!LITTLE_ENDIAN) swap32(raw);
  header.globalRng = checkRngState(header.globalRng, `${where} globalRng`);
  // Checkpoints written before layers owned their state called it dropoutRng (the same {layer, state} entries).
  const legacy = (header as unknown as { dropoutRng?: unknown }).dropoutRng;
  if (header.layerState === undefined && legacy !== undefined)
    header.layerState = legacy as CheckpointHeader['layerState'];
  if (!Array.isArray(header.layerState)) throw typeError(`${where} layerState`, 'an array', header.layerState);
  header.layerState.forEach((d, i) => {
    if (!isPlainObject(d) || typeof d.layer !== 'string' || !('state' in d))
      throw typeError(`${where} layerState[${i}]`, '{layer, state}', d);
  });
  const p = header.position;
  if (p !== null) {
    if (!isPlainObject(p)) throw typeError(`${where} position`, 'an object or null', p);
    for (const k of ['epoch', 'step', 'stepsPerEpoch', 'samples'] as const)
      checkNumber(p[k], `${where} position.${k}`, true);
    for (const k of ['lossSum', 'correctSum', 'seen'] as const) checkNumber(p[k], `${where} position.${k}`);
    if (p.correctSums !== undefined) {
      if (!Array.isArray(p.correctSums))
        throw typeError(`${where} position.correctSums`, 'an array of numbers', p.correctSums);
      p.correctSums.forEach((v, i) => checkNumber(v, `${where} position.correctSums[${i}]`));
    }
    p.epochStartRng = checkRngState(p.epochStartRng, `${where} position.epochStartRng`);
    if (p.stopTraining !== undefined && typeof p.stopTraining !== 'boolean')
      throw typeError(`${where} position.stopTraining`, 'true or false', p.stopTraining);
  }
  if (header.callbackState !== undefined) {
    if (!Array.isArray(header.callbackState))
      throw typeError(`${where} callbackState`, 'an array', header.callbackState);
    header.callbackState.forEach((d, i) => {
      if (!isPlainObject(d) || typeof d.callback !== 'string' || !Number.isSafeInteger(d.index) || d.index < 0)
        throw typeError(`${where} callbackState[${i}]`, '{callback, index, state}', d);
      if (!('state' in d)) throw typeError(`${where} callbackState[${i}]`, '{callback, index, state}', d);
    });
  }
  const o = header.optimizer;
  if (o !== null) {
    if (
      !isPlainObject(o) ||
      typeof o.className !== 'string' ||
      !Array.isArray(o.slotNames) ||
      o.slotNames.some((s) => typeof s !== 'string')
    )
      throw typeError(`${where} optimizer`, '{className, iterations, learningRate, slotNames}', o);
    checkNumber(o.iterations, `${where} optimizer.iterations`, true);
    if (checkNumber(o.learningRate, `${where} optimizer.learningRate`) < 0 || !Number.isFinite(o.learningRate))
      throw typeError(`${where} optimizer.learningRate`, 'a finite number ≥ 0', o.learningRate);
    if (o.uProduct !== undefined) checkNumber(o.uProduct, `${where} optimizer.uProduct`);
  }
  const fp = header.fingerprint;
  if (fp !== undefined && (!isPlainObject(fp) || Object.values(fp).some((v) => typeof v !== 'string')))
    throw typeError(`${where} fingerprint`, 'an object of strings', fp);
  const h = header.history;
  if (
    h !== null &&
    (!isPlainObject(h) ||
      !Array.isArray(h.epoch) ||
      !isPlainObject(h.history) ||
      Object.values(h.history).some((a) => !Array.isArray(a)))
  )
    throw typeError(`${where} history`, '{epoch: [...], history: {...}}', h);
  return { header, data: new Float32Array(raw.buffer, raw.byteOffset, expectedOffset) };
}
