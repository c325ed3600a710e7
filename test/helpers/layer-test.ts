/**
 * One conformance harness every layer goes through (after Keras's `run_layer_test`):
 * config round trip (construct from config and back, same outputs), build (weights =
 * the layer's own weight specs = the loader's plan), output shape, forward on extreme
 * inputs, gradients w.r.t. the input and every trainable weight against central
 * differences, save/load round trip through the TF.js layers format, training vs
 * inference mode, non-weight state round trip, and the doctor's moment rule.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model, Sequential, Tensor, input, setSeed, layers } from '../../src/index.js';
import { Variable } from '../../src/autograd/variable.js';
import { planWeights } from '../../src/nn/serialization/plan.js';
import { modelToArtifacts, modelFromArtifacts } from '../../src/nn/serialization/index.js';
import { MOMENT_TOOLS } from '../../src/health/theory.js';
import type { CustomObjects } from '../../src/nn/layers/index.js';
import { gradcheck, project, randomConstant } from './gradcheck.js';

export interface LayerCase {
  /** A fresh layer (no inputShape: the harness gives it). */
  make: () => layers.Layer;
  /** Input shape without the batch axis. */
  inputShape: number[];
  /** Training and inference outputs differ (Dropout, BatchNormalization, noise). Default false. */
  modeDependent?: boolean;
  /** The layer cannot be written in the TF.js layers format (the reason). */
  noTfjs?: string;
  /** Custom classes needed to load it. */
  customObjects?: CustomObjects;
  /** No moment rule (a custom layer): the theory must name it as unknown. */
  noMomentRule?: boolean;
  /** Input scale for the gradient check (keep away from kinks). Default 1. */
  scale?: number;
  /** Inputs are integer ids in [0, n) (Embedding): no extreme values, no gradient w.r.t. the input. */
  integerInputs?: number;
}

const BATCH = 4;

function inputOf(shape: number[], seed: number, scale = 1, ids?: number): Tensor {
  const x = randomConstant([BATCH, ...shape], seed, scale);
  if (ids !== undefined) for (let i = 0; i < x.size; i++) x.data[i] = Math.abs(Math.round(x.data[i]! * 7)) % ids;
  return x;
}

/** Runs the layer in training mode with its random state fixed, so repeated calls see the same masks/noise. */
function fixedTrainingCall(layer: layers.Layer): (x: Tensor) => Tensor {
  const state = layer.getState();
  return (x) => {
    if (state !== null) layer.setState(state);
    return layer.apply(x, { training: true });
  };
}

export function runLayerTest(label: string, c: LayerCase): void {
  test(`${label}: conformance (config, build, shapes, extremes, gradients, save/load, modes, state, doctor)`, () => {
    setSeed(7);
    const layer = c.make();
    const className = layer.className;
    // Config round trip: from the config a layer is made whose config is the same.
    const config = JSON.parse(JSON.stringify(layer.getConfig())) as Record<string, unknown>;
    const copy = layers.layerFromConfig({ class_name: className, config }, label, c.customObjects);
    assert.equal(copy.className, className);
    assert.deepEqual(
      JSON.parse(JSON.stringify(copy.getConfig())),
      config,
      'getConfig → fromConfig → getConfig is stable',
    );

    // Build: the weights created are the layer's own specs and the loader's plan.
    const plan = planWeights([c.make()], c.inputShape, 'plan');
    layer.build(c.inputShape);
    const specs = layer.weightSpecs(c.inputShape);
    if (specs !== null)
      assert.deepEqual(
        layer.weights.map((w) => [w.name, w.shape]),
        specs.map((s) => [`${layer.name}/${s.name}`, s.shape]),
      );
    assert.deepEqual(
      plan.map((p) => [p.name.split('/').slice(1).join('/'), p.shape]),
      layer.weights.map((w) => [w.name.split('/').slice(1).join('/'), w.shape]),
    );

    // Output shape, in both modes.
    const x = inputOf(c.inputShape, 1, 1, c.integerInputs);
    const expected = [BATCH, ...layer.computeOutputShape(c.inputShape)];
    for (const training of [false, true])
      assert.deepEqual(layer.apply(x, { training }).shape, expected, `output shape (training ${training})`);

    // Extreme inputs: finite outputs for finite inputs, in both modes.
    for (const v of c.integerInputs !== undefined ? [0] : [1e3, -1e3, 0, 1e-30]) {
      const xe = new Tensor(new Float32Array(BATCH * c.inputShape.reduce((p, d) => p * d, 1)).fill(v), [
        BATCH,
        ...c.inputShape,
      ]);
      for (const training of [false, true]) {
        const out = layer.apply(xe, { training }).data;
        assert.ok(out.every(Number.isFinite), `finite output for input ${v} (training ${training})`);
      }
    }

    // Gradients w.r.t. the input and every trainable weight.
    const input = new Variable(inputOf(c.inputShape, 2, c.scale ?? 1, c.integerInputs), { name: 'input' });
    const call = fixedTrainingCall(layer);
    const checked = c.integerInputs !== undefined ? layer.trainableWeights : [input, ...layer.trainableWeights];
    gradcheck(() => project(call(input)), checked, { h: 1e-2, rtol: 3e-2, atol: 2e-3 });

    // Training vs inference.
    const inference = layer.apply(x, { training: false }).data;
    const training = layer.apply(x, { training: true }).data;
    const differ = inference.some((v, i) => v !== training[i]);
    assert.equal(
      differ,
      c.modeDependent ?? false,
      c.modeDependent ? 'training mode differs from inference' : 'the same in both modes',
    );

    // Non-weight state: restoring it replays the same randomness.
    const state = layer.getState();
    if (state !== null) {
      const a = layer.apply(x, { training: true }).data.slice();
      layer.setState(JSON.parse(JSON.stringify(state)));
      layer.apply(x, { training: true });
      layer.setState(state);
      assert.deepEqual(layer.apply(x, { training: true }).data, a, 'setState(getState()) replays the same draws');
    }

    // Config copy with the same weights computes the same function.
    copy.build(c.inputShape);
    copy.weights.forEach((w, i) => w.assign(layer.weights[i]!.data));
    assert.deepEqual(copy.apply(x, { training: false }).data, layer.apply(x, { training: false }).data);

    // Save/load round trip (TF.js layers format, in memory).
    const model = new Sequential([layer]);
    model.build(c.inputShape);
    if (c.noTfjs === undefined) {
      const art = modelToArtifacts(model);
      const json = { ...art.modelJson, weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs }] };
      const loaded = modelFromArtifacts(json, [art.weightData], 'model.json', { customObjects: c.customObjects });
      assert.deepEqual(loaded.predict(x).data, model.predict(x).data, 'save → load predicts the same');
    } else {
      assert.throws(() => modelToArtifacts(model), new RegExp(c.noTfjs));
    }

    // The doctor: a moment rule with finite moments, or (custom layers) none at all.
    const rule = layer.momentRule({ mean: 0.1, second: 1, cross: 0.01 }, MOMENT_TOOLS);
    if (c.noMomentRule) assert.equal(rule, null);
    else {
      assert.ok(rule !== null, `${className} has a moment rule`);
      assert.ok([rule.out.mean, rule.out.second, rule.out.cross, rule.backward(1)].every(Number.isFinite));
    }
    const facts = layer.doctorFacts();
    assert.ok(typeof facts.role === 'string' && typeof facts.fullyConnected === 'boolean');
  });
}

/** A layer called on a list of tensors (merge layers). */
export interface MergeLayerCase {
  make: () => layers.Layer;
  /** Each input's shape without the batch axis. */
  inputShapes: number[][];
  /** Input scale for the gradient check (keep away from kinks: Maximum/Minimum ties). Default 1. */
  scale?: number;
  /** No moment rule: the theory must name it as unknown. */
  noMomentRule?: boolean;
}

/**
 * The same checks for a merge layer: config round trip, no weights, output shape, extremes, gradients
 * w.r.t. every input, the same in both modes, wrong shapes refused, save/load inside a functional model, the
 * doctor's role and list moment rule.
 */
export function runMergeLayerTest(label: string, c: MergeLayerCase): void {
  test(`${label}: merge conformance (config, shapes, extremes, gradients, save/load, modes, doctor)`, () => {
    setSeed(7);
    const layer = c.make();
    const className = layer.className;
    const config = JSON.parse(JSON.stringify(layer.getConfig())) as Record<string, unknown>;
    const copy = layers.layerFromConfig({ class_name: className, config }, label);
    assert.deepEqual(JSON.parse(JSON.stringify(copy.getConfig())), config, 'getConfig → fromConfig is stable');
    assert.equal(layer.takesList, true);
    assert.throws(() => layer.apply(inputOf(c.inputShapes[0]!, 1)), /takes a list of input tensors/);

    const xs = c.inputShapes.map((s, i) => inputOf(s, 10 + i, c.scale ?? 1));
    const expected = [BATCH, ...layer.computeOutputShapeList(c.inputShapes.map((s) => [...s]))];
    for (const training of [false, true])
      assert.deepEqual(layer.apply(xs, { training }).shape, expected, `output shape (training ${training})`);
    assert.equal(layer.weights.length, 0, 'merge layers have no weights');
    // Built for these shapes: another shape is refused, naming the layer.
    const other = c.inputShapes.map((s) => [...s.slice(0, -1), s.at(-1)! + 1]);
    assert.throws(() => layer.apply(other.map((s, i) => inputOf(s, i))), new RegExp(`${className} '${layer.name}'`));

    for (const v of [1e3, -1e3, 0, 1e-30]) {
      const xe = c.inputShapes.map(
        (s) => new Tensor(new Float32Array(BATCH * s.reduce((p, d) => p * d, 1)).fill(v), [BATCH, ...s]),
      );
      assert.ok(layer.apply(xe).data.every(Number.isFinite), `finite output for inputs ${v}`);
    }

    const vars = c.inputShapes.map((s, i) => new Variable(inputOf(s, 20 + i, c.scale ?? 1), { name: `input${i}` }));
    gradcheck(() => project(layer.apply(vars, { training: true })), vars, { h: 1e-2, rtol: 3e-2, atol: 2e-3 });

    assert.deepEqual(layer.apply(xs, { training: true }).data, layer.apply(xs, { training: false }).data);

    // Save/load inside a functional model (TF.js layers format, in memory).
    const inputs = c.inputShapes.map((s, i) => input({ shape: s, name: `in_${i}` }));
    const fresh = c.make();
    const model = new Model({ inputs, outputs: fresh.apply(inputs) });
    const art = modelToArtifacts(model);
    const json = { ...art.modelJson, weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs }] };
    const loaded = modelFromArtifacts(json, [art.weightData], 'model.json');
    assert.deepEqual(loaded.predict(xs).data, model.predict(xs).data, 'save → load predicts the same');

    const facts = layer.doctorFacts();
    assert.equal(facts.role, 'merge');
    const moments = c.inputShapes.map((_s, i) => ({ mean: 0.1 * i, second: 1 + i, cross: 0.01 }));
    const rule = layer.momentRuleList(moments, MOMENT_TOOLS);
    assert.equal(layer.momentRule(moments[0]!, MOMENT_TOOLS), null, 'no single-input moment rule');
    if (c.noMomentRule) assert.equal(rule, null);
    else {
      assert.ok(rule !== null, `${className} has a moment rule`);
      const back = rule.backward(1);
      assert.equal(back.length, c.inputShapes.length);
      assert.ok([rule.out.mean, rule.out.second, rule.out.cross, ...back].every(Number.isFinite));
    }
  });
}
