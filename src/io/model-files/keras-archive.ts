/**
 * Keras 3 `.keras` archives: a zip of `metadata.json`, `config.json` (the model's Keras config with
 * build_config and compile_config) and `model.weights.h5`, laid out as Keras 3's H5IOStore writes it:
 *
 *   /vars                                   the model's own variables (none), attribute name = model name
 *   /layers/<snake_class>[_k]/vars/<i>      each layer's variables in creation order (dense/0 = kernel, 1 = bias)
 *   /layers/lstm/cell/vars/<i>              a recurrent layer's variables live in its cell
 *   /optimizer/vars/<i>                     0 = iteration (int64), 1 = learning_rate (float32, unless a schedule),
 *                                           then per trainable variable its slots (Adam: momentum, velocity)
 *
 * Groups are named by class in walking order (Keras does not use layer names there), so reading walks the
 * model's layers in the same order. `metadata.json` also carries Keel's own record of the optimizer (its slot
 * names and the learning rate in float64) so a Keel model resumes bit-exactly.
 */
import { unzipSync, zipSync, strFromU8, strToU8, type UnzipFileInfo } from 'fflate';
import type { Model } from '../../nn/functional.js';
import type { Variable } from '../../autograd/variable.js';
import type { Optimizer } from '../../nn/optimizers/optimizer.js';
import { modelFromKerasJson, type LoadOptions } from '../../nn/serialization/load.js';
import { isPlainObject, parseJson, MAX_JSON_BYTES } from '../../nn/serialization/validate.js';
import { LIMITS } from '../../nn/serialization/weights.js';
import { formatShape } from '../../tensor/shape.js';
import { kerasLayerSlots, kerasModelDocument, stringifyKerasJson, toKerasSnakeCase } from './keras-json.js';
import { describe, ensureGroup, getDataset, getGroup, keysOf, readH5, valueOf, writeH5, type H5File } from './h5.js';
import { assignWeights } from './assign.js';

export const KERAS_CONFIG = 'config.json';
export const KERAS_METADATA = 'metadata.json';
export const KERAS_WEIGHTS = 'model.weights.h5';
/** The largest weights file accepted: every parameter the loader allows, twice (optimizer slots), + slack. */
const MAX_WEIGHTS_BYTES = LIMITS.maxParams * 4 * 3 + 64 * 1024 * 1024;

interface OptimizerRecord {
  className: string;
  iterations: number;
  learningRate: number;
  slotNames: string[];
  uProduct?: number;
}

function uProductOf(optimizer: Optimizer): number | undefined {
  const u = (optimizer as unknown as { uProduct?: unknown }).uProduct;
  return typeof u === 'number' ? u : undefined;
}

/**
 * The optimizer's variables after iteration and learning rate, in Keras 3's order: the EMA averages (built
 * first, one per variable), then the update rule's slots interleaved per variable (momentum_0, velocity_0,
 * momentum_1, ...).
 */
function slotOrder(optimizer: Optimizer, variables: readonly Variable[]): { variable: Variable; slot: number }[] {
  const names = optimizer.slotNames();
  const average = names.indexOf('average');
  const order: { variable: Variable; slot: number }[] = [];
  if (average >= 0) for (const variable of variables) order.push({ variable, slot: average });
  for (const variable of variables)
    names.forEach((_n, slot) => {
      if (slot !== average) order.push({ variable, slot });
    });
  return order;
}

/** The bytes of a `.keras` archive of `model` (with its optimizer's state when compiled). */
export async function kerasArchiveBytes(model: Model): Promise<Uint8Array> {
  const config = stringifyKerasJson(kerasModelDocument(model));
  const optimizer = model.compiled?.optimizer ?? null;
  const lrIsNumber = optimizer !== null && typeof optimizer.getConfig().learning_rate === 'number';
  let record: OptimizerRecord | null = null;
  if (optimizer !== null) {
    record = {
      className: optimizer.className,
      iterations: optimizer.iterations,
      learningRate: optimizer.learningRate,
      slotNames: optimizer.slotNames(),
    };
    const u = uProductOf(optimizer);
    if (u !== undefined) record.uProduct = u;
  }
  const metadata = JSON.stringify({
    keras_version: '3.0.0',
    date_saved: new Date().toISOString().slice(0, 19).replace('T', '@'),
    keel: { version: '0.1.0', optimizer: record },
  });
  const weights = await writeH5((file) => {
    ensureGroup(file, 'vars').create_attribute('name', model.name);
    for (const slot of kerasLayerSlots(model)) {
      const group = ensureGroup(file, `${slot.path}/vars`);
      group.create_attribute('name', slot.name);
      if (slot.layer === null) continue;
      const owner = slot.layer.kerasVariableOwner();
      const target = owner === '' ? group : ensureGroup(file, `${slot.path}/${owner}/vars`);
      if (owner !== '') target.create_attribute('name', `${toKerasSnakeCase(slot.layer.className)}_${owner}`);
      slot.layer.weights.forEach((w, i) =>
        target.create_dataset({ name: String(i), data: w.data, shape: [...w.shape], dtype: '<f' }),
      );
    }
    if (optimizer !== null) {
      const group = ensureGroup(file, 'optimizer/vars');
      group.create_attribute('name', optimizer.name);
      let i = 0;
      group.create_dataset({ name: String(i++), data: BigInt64Array.of(BigInt(optimizer.iterations)), shape: [] });
      if (lrIsNumber)
        group.create_dataset({
          name: String(i++),
          data: Float32Array.of(optimizer.learningRate),
          shape: [],
          dtype: '<f',
        });
      for (const { variable, slot } of slotOrder(optimizer, model.trainableWeights)) {
        const values = (optimizer.getSlots(variable) ?? optimizer.freshSlots(variable))[slot]!;
        group.create_dataset({ name: String(i++), data: values, shape: [...variable.shape], dtype: '<f' });
      }
      const u = uProductOf(optimizer);
      if (u !== undefined)
        group.create_dataset({ name: String(i++), data: Float32Array.of(u), shape: [], dtype: '<f' });
    }
  });
  // Stored, not deflated: as Keras's zipfile writes it.
  return zipSync(
    {
      [KERAS_METADATA]: strToU8(metadata),
      [KERAS_CONFIG]: strToU8(config),
      [KERAS_WEIGHTS]: weights,
    },
    { level: 0 },
  );
}

/** A zip entry name that could not land outside a folder it were extracted to. */
function checkEntryName(name: string, where: string): void {
  if (
    name.length === 0 ||
    name.startsWith('/') ||
    name.includes('\\') ||
    name.includes('\0') ||
    /^[a-zA-Z]:/.test(name) ||
    name.split('/').some((part) => part === '..')
  )
    throw new Error(
      `${where}: the archive holds an entry named ${JSON.stringify(name).slice(0, 120)}, a path escaping the ` +
        `archive; refusing to read it`,
    );
}

/** The three files of a .keras archive, every entry's name and declared size checked before inflating any. */
export function unzipKeras(
  bytes: Uint8Array,
  where: string,
): { config: string; metadata: string; weights: Uint8Array } {
  const limits: Record<string, number> = {
    [KERAS_CONFIG]: MAX_JSON_BYTES,
    [KERAS_METADATA]: MAX_JSON_BYTES,
    [KERAS_WEIGHTS]: MAX_WEIGHTS_BYTES,
  };
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f: UnzipFileInfo) => {
        checkEntryName(f.name, where);
        const limit = limits[f.name];
        if (limit === undefined) return false;
        if (f.originalSize > limit)
          throw new Error(
            `${where}: ${f.name} declares ${f.originalSize} bytes, more than the ${limit} accepted; refusing to ` +
              `inflate it`,
          );
        return true;
      },
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (message.startsWith(where)) throw e;
    throw new Error(`${where}: not a readable .keras (zip) archive (${message}); the file is truncated or corrupted`);
  }
  const config = files[KERAS_CONFIG];
  if (config === undefined) throw new Error(`${where}: the archive has no ${KERAS_CONFIG} (not a Keras 3 .keras file)`);
  const weights = files[KERAS_WEIGHTS];
  if (weights === undefined)
    throw new Error(`${where}: the archive has no ${KERAS_WEIGHTS} (Keel reads HDF5 weights, not model.weights.npz)`);
  const metadata = files[KERAS_METADATA];
  return { config: strFromU8(config), metadata: metadata === undefined ? '{}' : strFromU8(metadata), weights };
}

interface StoredOptimizer {
  iterations: number;
  learningRate: number | null;
  slots: Float32Array[];
  uProduct: number | null;
}

/** Reads a `.keras` archive into a model, compiled (with its optimizer state) when the archive was. */
export async function modelFromKerasArchive(
  bytes: Uint8Array,
  where: string,
  options: LoadOptions & { compile?: boolean } = {},
): Promise<Model> {
  const files = unzipKeras(bytes, where);
  const doc = parseJson(files.config, `${where} ${KERAS_CONFIG}`);
  if (!isPlainObject(doc)) throw new Error(`${where}: ${KERAS_CONFIG} must hold a JSON object`);
  const meta = parseJson(files.metadata, `${where} ${KERAS_METADATA}`);
  const compileConfig = doc.compile_config;
  const model = modelFromKerasJson({ ...doc, compile_config: undefined }, options);
  const compile = options.compile !== false && isPlainObject(compileConfig);
  if (compile) {
    model.compile({
      optimizer: compileConfig.optimizer as never,
      loss: compileConfig.loss as never,
      ...(Array.isArray(compileConfig.metrics) ? { metrics: compileConfig.metrics as never } : {}),
      ...(Array.isArray(compileConfig.loss_weights) ? { lossWeights: compileConfig.loss_weights as never } : {}),
    });
  }
  const optimizer = compile ? model.compiled!.optimizer : null;
  const record = isPlainObject(meta) && isPlainObject(meta.keel) ? meta.keel.optimizer : null;
  const h5where = `${where} ${KERAS_WEIGHTS}`;
  const { values, stored } = await readH5(files.weights, h5where, (file) =>
    readArchiveWeights(file, model, optimizer, h5where),
  );
  assignWeights(model, values, h5where);
  if (optimizer !== null && stored !== null) {
    const order = slotOrder(optimizer, model.trainableWeights);
    if (isPlainObject(record) && Array.isArray(record.slotNames)) {
      const names = optimizer.slotNames();
      if (record.slotNames.join(',') !== names.join(','))
        throw new Error(
          `${h5where}: the saved ${String(record.className)} kept slots [${record.slotNames.join(', ')}] but the ` +
            `compiled ${optimizer.className} keeps [${names.join(', ')}]`,
        );
    }
    optimizer.iterations = stored.iterations;
    const rate =
      isPlainObject(record) && typeof record.learningRate === 'number' ? record.learningRate : stored.learningRate;
    if (rate !== null) optimizer.restoreLearningRate(rate);
    const perVariable = new Map<Variable, Float32Array[]>();
    order.forEach(({ variable, slot }, k) => {
      const list = perVariable.get(variable) ?? optimizer.freshSlots(variable);
      list[slot] = stored.slots[k]!;
      perVariable.set(variable, list);
    });
    for (const [variable, list] of perVariable) optimizer.setSlots(variable, list);
    const u = isPlainObject(record) && typeof record.uProduct === 'number' ? record.uProduct : stored.uProduct;
    if (u !== null && uProductOf(optimizer) !== undefined) (optimizer as unknown as { uProduct: number }).uProduct = u;
  }
  return model;
}

/** Every stored weight checked against the model (count, shape, dtype) before any value is read. */
function readArchiveWeights(
  file: H5File,
  model: Model,
  optimizer: Optimizer | null,
  where: string,
): { values: Float32Array[]; stored: StoredOptimizer | null } {
  const reads: (() => Float32Array)[] = [];
  const floatDataset = (path: string, shape: readonly number[], what: string) => {
    const ds = getDataset(file, path);
    if (ds === null) throw new Error(`${where}: no dataset '${path}' (${what} ${formatShape([...shape])})`);
    const { dtype, shape: got } = describe(ds, where);
    if (dtype !== '<f4')
      throw new Error(`${where}: '${path}' (${what}) holds ${dtype}; Keel reads float32 ('<f4') weights`);
    if (got.length !== shape.length || got.some((d, i) => d !== shape[i]))
      throw new Error(
        `${where}: '${path}' (${what}) has shape ${formatShape(got)} but the model needs ${formatShape([...shape])}`,
      );
    return () => Float32Array.from(valueOf(ds, where) as Float32Array);
  };
  for (const slot of kerasLayerSlots(model)) {
    if (slot.layer === null) continue;
    const owner = slot.layer.kerasVariableOwner();
    const groupPath = owner === '' ? `${slot.path}/vars` : `${slot.path}/${owner}/vars`;
    const weights = slot.layer.weights;
    const group = getGroup(file, groupPath);
    const count = group === null ? 0 : keysOf(group, where).length;
    if (count !== weights.length)
      throw new Error(
        `${where}: layer '${slot.layer.name}' (${slot.layer.className}) has ${weights.length} weights but ` +
          `'${groupPath}' holds ${count}`,
      );
    weights.forEach((w, i) => reads.push(floatDataset(`${groupPath}/${i}`, w.shape, `weight '${w.name}'`)));
  }
  let stored: StoredOptimizer | null = null;
  const group = getGroup(file, 'optimizer/vars');
  if (optimizer !== null && group !== null && keysOf(group, where).length > 0) {
    const lrIsNumber = typeof optimizer.getConfig().learning_rate === 'number';
    const order = slotOrder(optimizer, model.trainableWeights);
    const hasU = uProductOf(optimizer) !== undefined;
    const expected = 1 + (lrIsNumber ? 1 : 0) + order.length + (hasU ? 1 : 0);
    const count = keysOf(group, where).length;
    if (count !== expected)
      throw new Error(
        `${where}: the optimizer group holds ${count} variables but a ${optimizer.className} of this model ` +
          `keeps ${expected} (iteration${lrIsNumber ? ', learning_rate' : ''}, ${order.length} slots` +
          `${hasU ? ', u_product' : ''})`,
      );
    const it = getDataset(file, 'optimizer/vars/0');
    const itInfo = it === null ? { dtype: 'none', shape: [] } : describe(it, where);
    const itType = itInfo.dtype;
    if (it === null || !/^<i[48]$/.test(itType) || itInfo.shape.length !== 0)
      throw new Error(`${where}: 'optimizer/vars/0' must be the iteration count (an integer scalar); got ${itType}`);
    const iterations = Number(valueOf(it, where) as bigint | number);
    if (!Number.isSafeInteger(iterations) || iterations < 0)
      throw new Error(`${where}: the iteration count ${iterations} is not a non-negative integer`);
    let k = 1;
    const lr = lrIsNumber ? floatDataset(`optimizer/vars/${k++}`, [], 'learning_rate') : null;
    const slotReads = order.map(({ variable }) =>
      floatDataset(`optimizer/vars/${k++}`, variable.shape, `optimizer slot of '${variable.name}'`),
    );
    const u = hasU ? floatDataset(`optimizer/vars/${k++}`, [], 'u_product') : null;
    stored = {
      iterations,
      learningRate: lr === null ? null : lr()[0]!,
      slots: slotReads.map((read) => read()),
      uProduct: u === null ? null : u()[0]!,
    };
    for (const s of stored.slots)
      if (!s.every(Number.isFinite)) throw new Error(`${where}: an optimizer slot holds a non-finite value`);
  }
  return { values: reads.map((read) => read()), stored };
}
