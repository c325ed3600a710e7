/**
 * Saving in the TF.js layers format (keras-semantics.md §9.2, §9.4): model.json
 * + 4 MiB binary shards, readable by `tf.loadLayersModel`, by Keel's loadModel,
 * and convertible to Keras with
 * `tensorflowjs_converter --input_format=tfjs_layers_model --output_format=keras`.
 *
 * Atomicity: model.json is the commit point. New shards are written first under
 * names the current model.json does not use (each by temp name + fsync +
 * rename), then model.json is replaced the same way, then the previous shards
 * are deleted. A crash at any moment leaves a directory whose model.json and
 * shards agree: the old pair or the new one (plus, at worst, orphan shards that
 * the next save removes).
 */
import type { Model } from '../functional.js';
import { exportTopology } from './export-topology.js';
import { encodeWeights, splitShards, type WeightSpec } from './weights.js';
import { importModelFiles } from './model-files-import.js';
import { isTempName, joinPath, nodeFs, removeStaleTemps, syncDir, writeFileAtomic } from './atomic.js';

export interface ModelArtifacts {
  /** model.json without `weightsManifest[].paths` filled in (they depend on file names). */
  modelJson: { format: 'layers-model'; generatedBy: string; convertedBy: null; modelTopology: Record<string, unknown> };
  weightSpecs: WeightSpec[];
  /** All weights, little-endian float32, in weightSpecs order. */
  weightData: Uint8Array;
}

/** The model in TF.js layers format, in memory (works in a browser too). */
export function modelToArtifacts(model: Model): ModelArtifacts {
  const modelTopology = exportTopology(model);
  const { specs, bytes } = encodeWeights(model.weights.map((w) => ({ name: w.name, shape: w.shape, data: w.data })));
  return {
    modelJson: { format: 'layers-model', generatedBy: 'keel 0.1.0', convertedBy: null, modelTopology },
    weightSpecs: specs,
    weightData: bytes,
  };
}

const SHARD_PATTERN = /^group\d+-shard\d+of\d+(\.[a-z0-9]+)?\.bin$/;

/** Shard names of the model.json currently in `dir` (empty if none or unreadable). */
async function currentShards(dir: string): Promise<Set<string>> {
  const fs = await nodeFs();
  try {
    const doc = JSON.parse(await fs.readFile(joinPath(dir, 'model.json'), 'utf8')) as {
      weightsManifest?: { paths?: unknown[] }[];
    };
    return new Set(
      (doc.weightsManifest ?? []).flatMap((g) => (g.paths ?? []).filter((p): p is string => typeof p === 'string')),
    );
  } catch {
    return new Set();
  }
}

/**
 * Writes `model` to `dir` (created if needed) as model.json + group1-shard*of*.bin; a path ending in `.keras`
 * writes a Keras 3 archive, one ending in `.safetensors` a safetensors file (docs/interop.md).
 * @example await saveModel(model, 'out/my-model');  // then: tf.loadLayersModel('file://out/my-model/model.json')
 */
export async function saveModel(model: Model, dir: string, options: { shardBytes?: number } = {}): Promise<void> {
  if (typeof dir !== 'string' || dir.length === 0)
    throw new Error(`saveModel: expected a directory path; received ${JSON.stringify(dir)}`);
  // A path naming a single-file format (.keras, .safetensors) is written by io/model-files (Node only).
  if (/\.(keras|safetensors|h5|hdf5)$/i.test(dir)) {
    const files = await importModelFiles();
    return files.saveModelFile(model, dir);
  }
  const shardBytes = options.shardBytes ?? 4 * 1024 * 1024;
  if (!Number.isInteger(shardBytes) || shardBytes < 4 || shardBytes % 4 !== 0)
    throw new Error(`saveModel: shardBytes must be a positive multiple of 4; received ${shardBytes}`);
  const artifacts = modelToArtifacts(model); // validates everything before touching the disk
  const fs = await nodeFs();
  await fs.mkdir(dir, { recursive: true });
  await removeStaleTemps(dir);
  const old = await currentShards(dir);
  const existing = new Set(await fs.readdir(dir));
  const shards = splitShards(artifacts.weightData, shardBytes);
  // Conventional TF.js names when free; otherwise a suffix so the committed model's shards stay untouched.
  const token = Date.now().toString(36);
  const paths = shards.map((_s, i) => {
    const plain = `group1-shard${i + 1}of${shards.length}.bin`;
    return existing.has(plain) || old.has(plain) ? `group1-shard${i + 1}of${shards.length}.${token}.bin` : plain;
  });
  for (const [i, shard] of shards.entries())
    await writeFileAtomic(joinPath(dir, paths[i]!), shard, { syncDirectory: false });
  await syncDir(dir);
  const modelJson = { ...artifacts.modelJson, weightsManifest: [{ paths, weights: artifacts.weightSpecs }] };
  await writeFileAtomic(joinPath(dir, 'model.json'), JSON.stringify(modelJson, null, 1));
  // Committed. Remove shards no longer referenced (only names this module writes).
  const keep = new Set(paths);
  for (const name of await fs.readdir(dir)) {
    if (!keep.has(name) && !isTempName(name) && SHARD_PATTERN.test(name))
      await fs.rm(joinPath(dir, name), { force: true });
  }
}
