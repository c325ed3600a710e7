/**
 * Fuzz test of the loaders: thousands of mutated model.json documents (both
 * dialects), weight buffers and Keras JSON texts. Every case must end in a
 * model or in a plain Error with a message — never a TypeError/RangeError
 * escaping, never a hang (each case is timed), never a huge allocation (the
 * heap is watched). Mutations come from Keel's seeded generator, so a failing
 * case is reproducible from its index.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, layers, setSeed, Random, initializers } from '../../src/index.js';
import {
  modelToArtifacts,
  modelFromArtifacts,
  modelFromKerasJson,
  serializationLimits,
} from '../../src/nn/serialization/index.js';

const CASES = 10_000;

function baseDocuments(): { doc: Record<string, unknown>; bytes: Uint8Array }[] {
  setSeed(3);
  const a = new Sequential([
    new layers.Flatten({ inputShape: [2, 3] }),
    new layers.Dense(5, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new layers.BatchNormalization(),
    new layers.PReLU({ alphaInitializer: new initializers.Constant({ value: 0.1 }) }),
    new layers.Dropout(0.2),
    new layers.Dense(4, { activation: 'selu', kernelInitializer: 'lecun_uniform' }),
    new layers.AlphaDropout(0.1),
    new layers.LeakyReLU({ negativeSlope: 0.2 }),
    new layers.ELU(),
    new layers.Activation('tanh'),
    new layers.Dense(2, {
      activation: 'softmax',
      kernelInitializer: new initializers.VarianceScaling({ distribution: 'untruncated_normal' }),
    }),
  ]);
  const art = modelToArtifacts(a);
  const doc = { ...art.modelJson, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: art.weightSpecs }] };
  // The same model in the Keras 3 dialect (module keys, DTypePolicy, batch_shape).
  const k3 = JSON.parse(JSON.stringify(doc)) as {
    modelTopology: { config: { layers: { class_name: string; config: Record<string, unknown>; module?: string }[] } };
  };
  for (const l of k3.modelTopology.config.layers) {
    l.module = 'keras.layers';
    if (l.class_name === 'InputLayer') {
      l.config.batch_shape = l.config.batch_input_shape;
      delete l.config.batch_input_shape;
    } else
      l.config.dtype = {
        module: 'keras',
        class_name: 'DTypePolicy',
        config: { name: 'float32' },
        registered_name: null,
      };
  }
  return [
    { doc, bytes: art.weightData },
    { doc: k3 as unknown as Record<string, unknown>, bytes: art.weightData },
  ];
}

const ODD_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1,
  0.5,
  1e8,
  1e12,
  -1e308,
  2 ** 31,
  2 ** 53 + 2,
  '',
  'relu',
  'glorotUniform',
  'hard_sigmoid',
  'fanAvg',
  'float16',
  'x'.repeat(300),
  '../x.bin',
  [],
  [null],
  [null, 0],
  [null, 1e8, 1e8],
  [1, 2, 3],
  {},
  { class_name: 'Dense' },
  { class_name: 'Zeros', config: 5 },
  { class_name: 'VarianceScaling', config: { mode: 7, scale: 'big' } },
  { module: 'keras', class_name: 'DTypePolicy', config: { name: 'mixed_float16' } },
];

function pick<T>(rng: Random, items: readonly T[]): T {
  return items[Math.floor(rng.uniform() * items.length)]!;
}

/** All (container, key) pairs of a JSON tree. */
function slots(node: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): typeof out {
  if (Array.isArray(node))
    node.forEach((v, i) => {
      out.push([node, i]);
      slots(v, out);
    });
  else if (typeof node === 'object' && node !== null)
    for (const [k, v] of Object.entries(node)) {
      out.push([node as Record<string, unknown>, k]);
      slots(v, out);
    }
  return out;
}

function mutateDoc(doc: unknown, rng: Random): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as unknown;
  const n = 1 + Math.floor(rng.uniform() * 3);
  for (let m = 0; m < n; m++) {
    const all = slots(copy);
    const [container, key] = pick(rng, all);
    const r = rng.uniform();
    if (r < 0.5) (container as Record<string | number, unknown>)[key] = structuredClone(pick(rng, ODD_VALUES));
    else if (r < 0.65) {
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete (container as Record<string, unknown>)[key as string];
    } else if (r < 0.8 && Array.isArray(container))
      container.splice(key as number, 0, structuredClone(container[key as number]));
    else if (r < 0.9) {
      const v = (container as Record<string | number, unknown>)[key];
      if (typeof v === 'number')
        (container as Record<string | number, unknown>)[key] = pick(rng, [
          v * 1e6,
          -v,
          v + 0.5,
          Math.floor(v / 2),
          1e9,
        ]);
      else (container as Record<string | number, unknown>)[key] = structuredClone(pick(rng, ODD_VALUES));
    } else {
      const [c2, k2] = pick(rng, all);
      (container as Record<string | number, unknown>)[key] = structuredClone(
        (c2 as Record<string | number, unknown>)[k2],
      );
    }
  }
  return copy;
}

function mutateBytes(bytes: Uint8Array, rng: Random): Uint8Array {
  const r = rng.uniform();
  if (r < 0.5) return bytes;
  if (r < 0.65) return bytes.slice(0, Math.floor(rng.uniform() * bytes.length));
  if (r < 0.75) {
    const out = new Uint8Array(bytes.length + 1 + Math.floor(rng.uniform() * 8));
    out.set(bytes);
    return out;
  }
  const out = bytes.slice();
  for (let i = 0; i < 1 + rng.uniform() * 8; i++)
    out[Math.floor(rng.uniform() * out.length)] = Math.floor(rng.uniform() * 256);
  return out;
}

function mutateText(text: string, rng: Random): string {
  const r = rng.uniform(),
    at = Math.floor(rng.uniform() * text.length);
  if (r < 0.4) return text.slice(0, at);
  if (r < 0.7)
    return (
      text.slice(0, at) +
      pick(rng, ['{', '}', '[', ']', ',', '"', ':', 'null', '1e999', '\\u0000', '[[[[[[[[']) +
      text.slice(at)
    );
  return text.slice(0, at) + text.slice(at + 1 + Math.floor(rng.uniform() * 20));
}

test(
  `fuzz: ${CASES} mutated model.json documents, weight files and Keras JSON texts end in a model or a plain Error`,
  { timeout: 60_000 },
  () => {
    const bases = baseDocuments();
    const rng = new Random(20240611);
    const outcome = { models: 0, errors: 0 };
    const messages = new Map<string, number>();
    let slowest = 0;
    // A lower parameter cap than the default 2^28 keeps legitimately large mutants (units 1e8) quick to refuse.
    const defaultCap = serializationLimits.maxParams;
    serializationLimits.maxParams = 2 ** 22;
    const memory = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const memoryLimit = memory() + 256 * 1024 * 1024;
    const started = Date.now();
    for (let i = 0; i < CASES; i++) {
      const base = bases[i % bases.length]!;
      const kind = i % 4;
      const t0 = Date.now();
      try {
        if (kind === 0 || kind === 1) modelFromArtifacts(mutateDoc(base.doc, rng), [mutateBytes(base.bytes, rng)]);
        else if (kind === 2) modelFromArtifacts(base.doc, [mutateBytes(base.bytes, rng)]);
        else
          modelFromKerasJson(
            rng.uniform() < 0.5
              ? mutateText(JSON.stringify(base.doc.modelTopology), rng)
              : (mutateDoc(base.doc.modelTopology, rng) as Record<string, unknown>),
          );
        outcome.models++;
      } catch (e) {
        if (!(e instanceof Error) || e.constructor !== Error || e.message.length < 10) {
          assert.fail(
            `case ${i} (kind ${kind}): ` +
              `${e instanceof Error ? `${e.constructor.name}: ${e.message}\n${e.stack}` : String(e)}`,
          );
        }
        outcome.errors++;
        if (process.env.FUZZ_VERBOSE && /invalid configuration \(/.test(e.message))
          console.log('WRAPPED', i, e.message.slice(0, 300));
        const head = e.message
          .replace(/\d+/g, 'N')
          .replace(/'[^']*'/g, "'…'")
          .slice(0, 60);
        messages.set(head, (messages.get(head) ?? 0) + 1);
      }
      slowest = Math.max(slowest, Date.now() - t0);
      assert.ok(memory() < memoryLimit, `case ${i}: memory grew by more than 256 MiB`);
    }
    serializationLimits.maxParams = defaultCap;
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `  ${CASES} cases in ${seconds.toFixed(1)} s: ${outcome.models} models, ${outcome.errors} Errors (` +
        `${messages.size} distinct kinds); slowest case ${slowest} ms`,
    );
    // The slowest case is printed, not asserted: a duration on a shared machine is not a test.
    assert.ok(outcome.models > 0 && outcome.errors > 0);
  },
);

test('fuzz: mutated .safetensors files and .keras archives end in a model or a plain Error', async () => {
  const { modelFromFileBytes } = await import('../../src/io/model-files/index.js');
  const { unzipSync, zipSync, strFromU8, strToU8 } = await import('fflate');
  setSeed(7);
  const model = new Sequential([
    new layers.Dense(4, { inputShape: [3], activation: 'relu' }),
    new layers.BatchNormalization(),
    new layers.Dense(2, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  const { safetensorsBytes } = await import('../../src/io/model-files/index.js');
  const { kerasArchiveBytes } = await import('../../src/io/model-files/keras-archive.js');
  const safetensors = safetensorsBytes(model);
  const keras = unzipSync(await kerasArchiveBytes(model));
  const config = JSON.parse(strFromU8(keras['config.json']!)) as unknown;
  const rng = new Random(20261130);
  const outcome = { models: 0, errors: 0 };
  const check = (e: unknown, i: number) => {
    if (!(e instanceof Error) || e.constructor !== Error || e.message.length < 10)
      assert.fail(`case ${i}: ${e instanceof Error ? `${e.constructor.name}: ${e.message}\n${e.stack}` : String(e)}`);
    outcome.errors++;
  };
  for (let i = 0; i < 400; i++) {
    try {
      await modelFromFileBytes(mutateBytes(safetensors, rng), 'safetensors', `case ${i}`);
      outcome.models++;
    } catch (e) {
      check(e, i);
    }
  }
  for (let i = 0; i < 60; i++) {
    const text = rng.uniform() < 0.5 ? mutateText(JSON.stringify(config), rng) : JSON.stringify(mutateDoc(config, rng));
    const archive = zipSync({ ...keras, 'config.json': strToU8(text) }, { level: 0 });
    try {
      await modelFromFileBytes(rng.uniform() < 0.2 ? mutateBytes(archive, rng) : archive, 'keras', `case ${i}`);
      outcome.models++;
    } catch (e) {
      check(e, i);
    }
  }
  console.log(`  460 mutated model files: ${outcome.models} models, ${outcome.errors} Errors`);
  assert.ok(outcome.models > 0 && outcome.errors > 0);
});
