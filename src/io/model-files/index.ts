/**
 * Model files by what their path names: `*.keras` (Keras 3 archive), `*.safetensors` (weights + the Keras
 * config and Keel's metadata in the header), `*.h5` / `*.hdf5` (legacy Keras 2, read only); anything else is a
 * TF.js layers-model folder (nn/serialization). `model.save(path)`, `loadModel(path)` and `keel export` come here.
 */
import type { Model } from '../../nn/functional.js';
import type { LoadOptions } from '../../nn/serialization/load.js';
import { modelFromKerasJson } from '../../nn/serialization/load.js';
import { matchWeights } from '../../nn/serialization/match.js';
import { parseJson } from '../../nn/serialization/validate.js';
import { nodeFs, writeFileAtomic } from '../../nn/serialization/atomic.js';
import { kerasModelDocument, stringifyKerasJson } from './keras-json.js';
import { encodeSafetensors, parseSafetensorsHeader, readSafetensor } from './safetensors.js';
import { kerasArchiveBytes, modelFromKerasArchive } from './keras-archive.js';
import { modelFromLegacyH5 } from './legacy-h5.js';
import { assignWeights } from './assign.js';

export type ModelFileFormat = 'keras' | 'safetensors' | 'h5';

/** The single-file format a path names by its extension, or null (a TF.js layers-model folder). */
export function modelFileFormat(path: string): ModelFileFormat | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.keras')) return 'keras';
  if (lower.endsWith('.safetensors')) return 'safetensors';
  if (lower.endsWith('.h5') || lower.endsWith('.hdf5')) return 'h5';
  return null;
}

/** The largest model file read whole into memory (the parameter limit as float32, with its optimizer, + slack). */
const MAX_FILE_BYTES = 2 ** 28 * 4 * 3 + 128 * 1024 * 1024;

/** The bytes of a .safetensors file of `model`: its weights by name, the Keras config in the header. */
export function safetensorsBytes(model: Model): Uint8Array {
  return encodeSafetensors(
    model.weights.map((w) => ({ name: w.name, shape: [...w.shape], data: w.data })),
    {
      format: 'keel',
      keel_version: '0.1.0',
      weight_layout: 'keras',
      keras_config: stringifyKerasJson(kerasModelDocument(model)),
    },
  );
}

/** A model from the bytes of a .safetensors file written by Keel (the header must carry keras_config). */
export function modelFromSafetensors(bytes: Uint8Array, where: string, options: LoadOptions = {}): Model {
  const parsed = parseSafetensorsHeader(bytes, where);
  const config = parsed.metadata.keras_config;
  if (config === undefined)
    throw new Error(
      `${where}: the header's __metadata__ has no keras_config, so the model cannot be rebuilt (a weights-only ` +
        `safetensors file; Keel reads the ones it writes, which carry the model's Keras config)`,
    );
  const model = modelFromKerasJson(parseJson(config, `${where} keras_config`) as Record<string, unknown>, options);
  const planned = model.weights.map((w) => ({ name: w.name, shape: [...w.shape] }));
  const sources = matchWeights(planned, parsed.tensors, where);
  assignWeights(
    model,
    sources.map((i) => readSafetensor(bytes, parsed, parsed.tensors[i]!)),
    where,
  );
  return model;
}

/** The bytes of `model` in `format` (.h5 is read-only: Keras 3 itself writes .keras). */
export async function modelFileBytes(model: Model, format: ModelFileFormat, path: string): Promise<Uint8Array> {
  if (format === 'keras') return kerasArchiveBytes(model);
  if (format === 'safetensors') return safetensorsBytes(model);
  throw new Error(
    `save: '${path}' names a legacy Keras 2 .h5 file, which Keel reads but does not write; save as .keras ` +
      `(Keras 3's format) or .safetensors`,
  );
}

/** Writes `model` to the single file `path` names (.keras or .safetensors), atomically. */
export async function saveModelFile(model: Model, path: string): Promise<void> {
  const format = modelFileFormat(path);
  if (format === null) throw new Error(`save: '${path}' names no model file format (.keras, .safetensors)`);
  const bytes = await modelFileBytes(model, format, path);
  const fs = await nodeFs();
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (slash > 0) await fs.mkdir(path.slice(0, slash), { recursive: true });
  await writeFileAtomic(path, bytes);
}

/** A model from the bytes of a model file in `format`. */
export function modelFromFileBytes(
  bytes: Uint8Array,
  format: ModelFileFormat,
  where: string,
  options: LoadOptions & { compile?: boolean } = {},
): Promise<Model> {
  if (format === 'keras') return modelFromKerasArchive(bytes, where, options);
  if (format === 'safetensors') return Promise.resolve().then(() => modelFromSafetensors(bytes, where, options));
  return modelFromLegacyH5(bytes, where, options);
}

/** Loads the model file at `path` (.keras, .safetensors, legacy .h5). */
export async function loadModelFile(path: string, options: LoadOptions & { compile?: boolean } = {}): Promise<Model> {
  const format = modelFileFormat(path);
  if (format === null) throw new Error(`loadModel: '${path}' names no model file format (.keras, .safetensors, .h5)`);
  const fs = await nodeFs();
  const stat = await fs.stat(path).catch(() => {
    throw new Error(`loadModel: no file '${path}'`);
  });
  if (!stat.isFile()) throw new Error(`loadModel: '${path}' is not a file`);
  if (stat.size > MAX_FILE_BYTES)
    throw new Error(`${path}: ${stat.size} bytes is more than the ${MAX_FILE_BYTES} accepted for a model file`);
  const bytes = new Uint8Array(await fs.readFile(path));
  return modelFromFileBytes(bytes, format, path, options);
}
