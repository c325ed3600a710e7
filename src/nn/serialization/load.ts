/**
 * Loading models: `loadModel(dir)` reads a TF.js layers-model directory
 * (model.json + binary shards, keras-semantics.md §9.2); `modelFromArtifacts`
 * does the same from memory; `modelFromKerasJson` imports a Keras
 * `model.to_json()` document (Sequential only, weights freshly initialised).
 *
 * Order of work, so hostile files fail early and cheaply: parse and type-check
 * the JSON (size-limited) → construct layers (no weights yet) → plan every
 * weight shape and check the total → check the manifest against the plan and
 * the shard file sizes against the manifest → only then read bytes, build and
 * assign.
 */
import { Sequential } from '../model.js';
import type { Model } from '../functional.js';
import { buildFunctional } from './import-functional.js';
import { importTopology, type ImportedTopology } from './import-topology.js';
import { planWeights, type PlannedWeight } from './plan.js';
import { matchWeights } from './match.js';
import { decodeGroup, parseManifest, type ManifestGroup, type NamedWeight } from './weights.js';
import { isPlainObject, parseJson, typeError, MAX_JSON_BYTES } from './validate.js';
import { importModelFiles } from './model-files-import.js';
import { joinPath, nodeFs } from './atomic.js';
import type { CustomObjects } from '../layers/serialize.js';

export interface LoadOptions {
  /** Custom layer classes by the class name the file uses (Keras `custom_objects`): `{ Scale }`. */
  customObjects?: CustomObjects;
}

interface Prepared {
  topo: ImportedTopology;
  /** A functional model, already rebuilt (its weights checked against the limit before each was created). */
  functional: Model | null;
  inputShape: number[] | null;
  planned: PlannedWeight[];
  groups: ManifestGroup[];
  /** For each planned weight, its index among the manifest's weights (all groups, in order). */
  sources: number[] | null;
}

/** Validates a model.json document and plans the model, allocating nothing weight-sized. */
function prepare(doc: unknown, where: string, options: LoadOptions): Prepared {
  if (!isPlainObject(doc)) throw typeError(where, 'a JSON object {format, modelTopology, weightsManifest}', doc);
  if (doc.format !== undefined && doc.format !== 'layers-model') {
    throw new Error(
      `${where}: format ${JSON.stringify(doc.format)?.slice(0, 60)} is not supported; Keel reads 'layers-model' ` +
        `(TF.js graph models cannot be trained or rebuilt as layers)`,
    );
  }
  if (doc.modelTopology === undefined) throw new Error(`${where}: modelTopology is missing`);
  const topo = importTopology(doc.modelTopology, `${where} modelTopology`, options.customObjects);
  const hasWeights = doc.weightsManifest !== undefined && doc.weightsManifest !== null;
  if (topo.inputShape === null && hasWeights)
    throw new Error(
      `${where}: the model declares no input shape (no InputLayer, batch_input_shape or build_input_shape), so ` +
        `its weights cannot be matched`,
    );
  const functional = topo.functional !== null ? buildFunctional(topo.functional, where) : null;
  const planned =
    functional !== null
      ? functional.weights.map((w) => ({ name: w.name, shape: [...w.shape] }))
      : topo.inputShape !== null
        ? planWeights(topo.layers, topo.inputShape, where)
        : [];
  if (!hasWeights) return { topo, functional, inputShape: topo.inputShape, planned, groups: [], sources: null };
  const { groups } = parseManifest(doc.weightsManifest, `${where} weightsManifest`);
  const sources = matchWeights(
    planned,
    groups.flatMap((g) => g.weights),
    `${where} weightsManifest`,
  );
  return { topo, functional, inputShape: topo.inputShape, planned, groups, sources };
}

/** Builds the model and assigns the decoded weights (group bytes in manifest order). */
function finish(prepared: Prepared, groupBytes: readonly Uint8Array[], where: string): Model {
  const { topo, inputShape, planned, groups, sources } = prepared;
  const stored: NamedWeight[] = groups.flatMap((g, i) =>
    decodeGroup(g, groupBytes[i]!, `${where} weights (group ${i + 1})`),
  );
  if (sources !== null) {
    for (const s of stored) {
      for (let i = 0; i < s.data.length; i++) {
        if (!Number.isFinite(s.data[i]!))
          throw new Error(
            `${where}: weight '${s.name}' holds ${s.data[i]} at flat index ${i}; refusing to load a model with ` +
              `non-finite weights`,
          );
      }
    }
  }
  const model = prepared.functional ?? sequentialOf(topo, inputShape);
  if (sources !== null) {
    const byName = new Map(planned.map((p, i) => [p.name, stored[sources[i]!]!]));
    model.setWeights(
      model.weights.map((w) => {
        const s = byName.get(w.name);
        if (s === undefined) throw new Error(`${where}: internal mismatch: no stored weight planned for '${w.name}'`);
        return s;
      }),
    );
    // Each layer checks the values it cannot compute with (BatchNormalization: a negative moving variance).
    for (const layer of model.layers) {
      const values: Record<string, Float32Array> = {};
      for (const w of layer.weights) values[w.name.slice(layer.name.length + 1)] = w.data;
      layer.validateWeights(values, `${where}: layer '${layer.name}' (${layer.className})`);
    }
  }
  return model;
}

function sequentialOf(topo: ImportedTopology, inputShape: number[] | null): Sequential {
  const model = new Sequential(topo.layers, topo.name !== undefined ? { name: topo.name } : {});
  if (!model.built && inputShape !== null) model.build(inputShape);
  return model;
}

/** A model from an in-memory model.json object and, per manifest group, its shards' bytes concatenated. */
export function modelFromArtifacts(
  modelJson: unknown,
  groupBytes: readonly Uint8Array[] = [],
  where = 'model.json',
  options: LoadOptions = {},
): Model {
  const prepared = prepare(modelJson, where, options);
  if (groupBytes.length !== prepared.groups.length)
    throw new Error(
      `${where}: ${prepared.groups.length} weight groups in the manifest but ${groupBytes.length} byte arrays given`,
    );
  return finish(prepared, groupBytes, where);
}

/**
 * Loads a model saved by `saveModel`: a TF.js layers-model folder, a Keras 3 `.keras` archive, a `.safetensors`
 * file written by Keel, or a legacy Keras 2 `.h5` file; also folders written by TensorFlow.js
 * (`model.save('file://dir')`) or by `tensorflowjs_converter --output_format=tfjs_layers_model`.
 * A model with custom layers loads with `{ customObjects: { Scale } }` (or after `registerLayer(Scale)`).
 * @example const model = await loadModel('out/my-model');
 */
export async function loadModel(dir: string, options: LoadOptions = {}): Promise<Model> {
  if (typeof dir !== 'string' || dir.length === 0)
    throw new Error(`loadModel: expected a directory path; received ${JSON.stringify(dir)}`);
  // Single-file formats (.keras, .safetensors, legacy Keras 2 .h5) are read by io/model-files (Node only).
  if (/\.(keras|safetensors|h5|hdf5)$/i.test(dir)) {
    const files = await importModelFiles();
    return files.loadModelFile(dir, options);
  }
  const fs = await nodeFs();
  const jsonPath = joinPath(dir, 'model.json');
  const where = jsonPath;
  const stat = await fs.stat(jsonPath).catch(() => {
    throw new Error(`loadModel: no model.json in '${dir}'`);
  });
  if (!stat.isFile()) throw new Error(`loadModel: '${jsonPath}' is not a file`);
  if (stat.size > MAX_JSON_BYTES)
    throw new Error(`${where}: ${stat.size} bytes is more than the ${MAX_JSON_BYTES} accepted for a model description`);
  const prepared = prepare(parseJson(await fs.readFile(jsonPath, 'utf8'), where), where, options);
  // Check every shard's size against the manifest before reading any of them.
  const groupBytes: Uint8Array[] = [];
  // Shards are read from the model folder only: a symlink (or a path) resolving outside it is refused.
  const realDir = await fs.realpath(dir);
  for (const group of prepared.groups)
    for (const p of group.paths) {
      const real = await fs.realpath(joinPath(dir, p)).catch(() => null);
      if (real !== null && !(real.startsWith(`${realDir}/`) || real.startsWith(`${realDir}\\`)))
        throw new Error(
          `${where}: shard '${p}' resolves to ${real}, outside the model folder '${dir}' (a symlink?); refusing ` +
            'to read it',
        );
    }
  for (const [g, group] of prepared.groups.entries()) {
    const expected = group.weights.reduce((n, w) => n + w.shape.reduce((p, d) => p * d, 1), 0) * 4;
    const sizes: number[] = [];
    for (const p of group.paths) {
      const s = await fs.stat(joinPath(dir, p)).catch(() => {
        throw new Error(`${where}: shard file '${p}' listed in weightsManifest[${g}] is missing from '${dir}'`);
      });
      if (!s.isFile()) throw new Error(`${where}: shard '${p}' is not a file`);
      sizes.push(s.size);
    }
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== expected) {
      throw new Error(
        `${where}: weightsManifest[${g}] describes ${expected} bytes of float32 weights but its shard files hold ` +
          `${total} bytes (${group.paths.map((p, i) => `${p}: ${sizes[i]}`).join(', ')}); the files are truncated ` +
          `or do not belong to this model.json`,
      );
    }
    const bytes = new Uint8Array(expected);
    let offset = 0;
    for (const p of group.paths) {
      const chunk = await fs.readFile(joinPath(dir, p));
      if (offset + chunk.length > expected) throw new Error(`${where}: shard '${p}' changed size while being read`);
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    if (offset !== expected)
      throw new Error(`${where}: shard files of weightsManifest[${g}] changed size while being read`);
    groupBytes.push(bytes);
  }
  return finish(prepared, groupBytes, where);
}

/**
 * A model from a Keras `model.to_json()` document (Keras 3 or tf.keras 2; Sequential or
 * functional), or the modelTopology of a model.json. Weights are freshly initialised.
 * @example const model = modelFromKerasJson(fs.readFileSync('model_config.json', 'utf8'));
 */
export function modelFromKerasJson(json: string | Record<string, unknown>, options: LoadOptions = {}): Model {
  const where = 'modelFromKerasJson';
  const doc = typeof json === 'string' ? parseJson(json, where) : json;
  if (!isPlainObject(doc)) throw typeError(where, 'a Keras model JSON object (model.to_json())', doc);
  const topology = doc.modelTopology !== undefined ? doc.modelTopology : doc;
  const topo = importTopology(topology, where, options.customObjects);
  if (topo.functional !== null) return buildFunctional(topo.functional, where);
  if (topo.inputShape !== null) planWeights(topo.layers, topo.inputShape, where);
  return sequentialOf(topo, topo.inputShape);
}
