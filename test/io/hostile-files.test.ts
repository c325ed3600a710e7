/**
 * Hostile `.keras`, `.safetensors` and legacy `.h5` files: truncated, header lengths past the end, giant shapes
 * and sizes, zip entries escaping the archive, wrong shapes and dtypes, non-finite weights. Each gets a plain
 * Error that names the problem, raised from the checks that run before anything weight-sized is allocated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { Sequential, layers, loadModel, setSeed } from '../../src/index.js';
import { loadH5 } from '../../src/io/model-files/h5.js';

const dir = mkdtempSync(join(tmpdir(), 'keel-hostile-files-'));

function small(): Sequential {
  setSeed(3);
  const model = new Sequential([
    new layers.Dense(4, { inputShape: [3], activation: 'relu', name: 'd1' }),
    new layers.BatchNormalization({ name: 'bn' }),
    new layers.Dense(2, { activation: 'softmax', name: 'd2' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  return model;
}

const plainError = (pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof Error && e.constructor === Error, `a plain Error, not ${String(e)}`);
  assert.match(e.message, pattern);
  return true;
};

async function rejects(name: string, bytes: Uint8Array, pattern: RegExp): Promise<void> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  await assert.rejects(loadModel(path), plainError(pattern));
}

let savedSafetensors: Uint8Array;
let savedKeras: Uint8Array;
test.before(async () => {
  await small().save(join(dir, 'good.safetensors'));
  await small().save(join(dir, 'good.keras'));
  savedSafetensors = new Uint8Array(readFileSync(join(dir, 'good.safetensors')));
  savedKeras = new Uint8Array(readFileSync(join(dir, 'good.keras')));
});

/** A safetensors file with `header` (an object) as its JSON header and `data` after it. */
function safetensors(header: unknown, data: Uint8Array = new Uint8Array(0), lengthField?: bigint): Uint8Array {
  const json = strToU8(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthField ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function savedHeader(): { header: Record<string, any>; data: Uint8Array } {
  const n = Number(new DataView(savedSafetensors.buffer).getBigUint64(0, true));
  return {
    header: JSON.parse(new TextDecoder().decode(savedSafetensors.subarray(8, 8 + n))),
    data: savedSafetensors.subarray(8 + n),
  };
}

test('safetensors: too short, header length past the end or absurd, not JSON', async () => {
  await rejects('short.safetensors', new Uint8Array(5), /5 bytes is too short for a safetensors file/);
  await rejects(
    'past-end.safetensors',
    safetensors({ __metadata__: {} }, new Uint8Array(0), 1_000_000n),
    /header length field says 1000000 bytes but the file has only \d+ after it/,
  );
  await rejects(
    'huge-length.safetensors',
    safetensors({}, new Uint8Array(0), 2n ** 63n),
    /header length field says 9223372036854775808 bytes/,
  );
  const garbage = new Uint8Array(40).fill(0x7b);
  new DataView(garbage.buffer).setBigUint64(0, 32n, true);
  await rejects('not-json.safetensors', garbage, /header is not valid JSON/);
});

test('safetensors: giant shapes, offsets past the end, overlaps, F16, no config: before allocation', async () => {
  const { header, data } = savedHeader();
  const giant = structuredClone(header);
  giant['d1/kernel'].shape = [1e6, 1e6];
  await rejects('giant.safetensors', safetensors(giant, data), /shape \[1000000, 1000000\] has more than 268435456/);
  await rejects(
    'truncated.safetensors',
    savedSafetensors.subarray(0, savedSafetensors.length - 10),
    /data_offsets end at byte \d+ of the data but the file holds only \d+ bytes of data \(truncated\?\)/,
  );
  const overlap = structuredClone(header);
  overlap['d1/bias'].data_offsets = [0, 16];
  await rejects('overlap.safetensors', safetensors(overlap, data), /overlap in the data/);
  const f16 = structuredClone(header);
  f16['d1/bias'].dtype = 'F16';
  await rejects('f16.safetensors', safetensors(f16, data), /dtype "F16" is not supported; Keel reads F32/);
  const weightsOnly = structuredClone(header);
  weightsOnly.__metadata__ = {};
  await rejects('no-config.safetensors', safetensors(weightsOnly, data), /has no keras_config/);
  const giantUnits = structuredClone(header);
  const config = JSON.parse(giantUnits.__metadata__.keras_config);
  config.config.layers[1].config.units = 50_000_000;
  giantUnits.__metadata__.keras_config = JSON.stringify(config);
  await rejects('giant-units.safetensors', safetensors(giantUnits, data), /taking the model past 268435456 parameters/);
});

test('safetensors: a non-finite weight or a negative BN variance is refused', async () => {
  const { header, data } = savedHeader();
  const nan = new Uint8Array(data);
  new DataView(nan.buffer).setFloat32(header['d1/kernel'].data_offsets[0], NaN, true);
  await rejects('nan.safetensors', safetensors(header, nan), /holds NaN at flat index 0; refusing/);
  const negative = new Uint8Array(data);
  new DataView(negative.buffer).setFloat32(header['bn/moving_variance'].data_offsets[0], -1, true);
  await rejects('negvar.safetensors', safetensors(header, negative), /moving_variance/);
});

/** The archive's central-directory "uncompressed size" of `name` set to `size`. */
function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = new Uint8Array(zip);
  const view = new DataView(out.buffer);
  const target = strToU8(name);
  for (let i = 0; i + 46 < out.length; i++) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(i + 28, true);
    const entry = out.subarray(i + 46, i + 46 + nameLength);
    if (entry.length === target.length && entry.every((b, k) => b === target[k])) view.setUint32(i + 24, size, true);
  }
  return out;
}

test('.keras: truncated, not a zip, entries escaping the archive, giant declared sizes, missing parts', async () => {
  await rejects(
    'truncated.keras',
    savedKeras.subarray(0, Math.floor(savedKeras.length / 2)),
    /not a readable \.keras \(zip\) archive/,
  );
  await rejects('garbage.keras', strToU8('certainly not a zip archive'), /not a readable \.keras \(zip\) archive/);
  const files = unzipSync(savedKeras);
  for (const evil of ['../evil.txt', '/etc/evil', 'assets/../../evil', 'C:/evil', 'a\\..\\evil'])
    await rejects(
      'escape.keras',
      zipSync({ ...files, [evil]: strToU8('x') }, { level: 0 }),
      /a path escaping the archive; refusing to read it/,
    );
  await rejects(
    'bomb.keras',
    declareSize(zipSync(files, { level: 0 }), 'model.weights.h5', 0xfffffff0),
    /model\.weights\.h5 declares 4294967280 bytes, more than the \d+ accepted; refusing to inflate it/,
  );
  const { ['model.weights.h5']: _w, ...noWeights } = files;
  await rejects('no-weights.keras', zipSync(noWeights), /has no model\.weights\.h5/);
  const { ['config.json']: _c, ...noConfig } = files;
  await rejects('no-config.keras', zipSync(noConfig), /has no config\.json/);
});

test('.keras: weights that are not HDF5, truncated HDF5, wrong shapes, giant config', async () => {
  const files = unzipSync(savedKeras);
  await rejects(
    'not-h5.keras',
    zipSync({ ...files, 'model.weights.h5': strToU8('not hdf5 at all') }),
    /model\.weights\.h5: not an HDF5 file/,
  );
  const h5 = files['model.weights.h5']!;
  await rejects(
    'cut-h5.keras',
    zipSync({ ...files, 'model.weights.h5': h5.subarray(0, Math.floor(h5.length / 3)) }),
    /HDF5 could not (open|read) the file \(truncated or corrupted\?\)|has \d+ weights but|no dataset/,
  );
  const config = JSON.parse(new TextDecoder().decode(files['config.json']));
  config.config.layers[1].config.units = 5;
  await rejects(
    'shape.keras',
    zipSync({ ...files, 'config.json': strToU8(JSON.stringify(config)) }),
    /'layers\/dense\/vars\/0' \(weight 'd1\/kernel'\) has shape \[3, 4\] but the model needs \[3, 5\]/,
  );
  config.config.layers[1].config.units = 50_000_000;
  await rejects(
    'giant.keras',
    zipSync({ ...files, 'config.json': strToU8(JSON.stringify(config)) }),
    /taking the model past 268435456 parameters/,
  );
});

test('legacy .h5: not HDF5, truncated, no model_config, giant units in model_config', async () => {
  await rejects('text.h5', strToU8('{"model_config": 1}'), /not an HDF5 file/);
  const fixture = new Uint8Array(readFileSync('test/fixtures/keras2-dense-bn-dropout.h5'));
  await rejects(
    'cut.h5',
    fixture.subarray(0, 1500),
    /HDF5 could not (open|read) the file|no .model_config.|model_weights/,
  );
  const h5 = await loadH5();
  const empty = join(dir, 'empty.h5');
  new h5.File(empty, 'w').close();
  await assert.rejects(loadModel(empty), plainError(/no 'model_config' attribute, so this is not a Keras model file/));
  const giant = join(dir, 'giant.h5');
  copyFileSync('test/fixtures/keras2-dense-bn-dropout.h5', giant);
  const file = new h5.File(giant, 'a');
  const config = JSON.parse(file.get_attribute('model_config', true) as string);
  config.config.layers[1].config.units = 50_000_000;
  file.delete_attribute('model_config');
  file.create_attribute('model_config', JSON.stringify(config));
  file.close();
  await assert.rejects(loadModel(giant), plainError(/taking the model past 268435456 parameters/));
});

test('saving as .h5 is refused with the formats Keel writes', async () => {
  await assert.rejects(small().save(join(dir, 'out.h5')), plainError(/reads but does not write; save as \.keras/));
});
