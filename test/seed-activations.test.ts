/**
 * The seed note's activation lines (§2.2.1–2.2.3) ported verbatim: an activation
 * may be a Keras name, a function from `activations`, or a layer object — as
 * Keras accepts (`activations.get` takes any callable; a layer is one). Each is
 * checked against its closed form, and the layer-object form survives a config
 * round trip (Keras 3 writes it as {class_name: 'LeakyReLU', config}).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layers, activations, Tensor, Sequential, modelToArtifacts } from '../src/index.js';
import { SELU_ALPHA, SELU_LAMBDA } from '../src/kernels/activation-math.js';

const x = new Tensor(Float32Array.of(-2, -0.5, 0.5, 2), [1, 4]);
const leaky = (z: number, a: number) => (z > 0 ? z : a * z);
const elu = (z: number, a: number) => (z > 0 ? z : a * Math.expm1(z));
const selu = (z: number) => SELU_LAMBDA * (z > 0 ? z : SELU_ALPHA * Math.expm1(z));

/** A Dense whose kernel is the identity and bias zero, so its output is f(x). */
function apply(d: layers.Dense): number[] {
  d.build([4]);
  d.kernel!.assign(Float32Array.from({ length: 16 }, (_v, i) => (i % 5 === 0 ? 1 : 0)));
  return Array.from(d.apply(x).data);
}

function close(actual: number[], expected: number[]): void {
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-5, `${v} vs ${expected[i]}`));
}

const z = Array.from(x.data);

test("seed §2.2.1: Dense(activation='leaky_relu') — the function's slope 0.2", () => {
  close(
    apply(new layers.Dense(4, { activation: 'leaky_relu', kernelInitializer: 'he_normal' })),
    z.map((v) => leaky(v, 0.2)),
  );
});

test('seed §2.2.1: Dense(activation=keras.layers.LeakyReLU(alpha=0.3)) — a layer object as activation', () => {
  const d = new layers.Dense(4, { activation: new layers.LeakyReLU({ alpha: 0.3 }), kernelInitializer: 'he_normal' });
  close(
    apply(d),
    z.map((v) => leaky(v, 0.3)),
  );
  const activation = d.getConfig().activation as { class_name: string; config: Record<string, unknown> };
  assert.equal(activation.class_name, 'LeakyReLU');
  assert.equal(activation.config.negative_slope, 0.3);
  const copy = layers.layerFromConfig({ class_name: 'Dense', config: d.getConfig() }) as layers.Dense;
  close(
    apply(copy),
    z.map((v) => leaky(v, 0.3)),
  );
});

test("seed §2.2.2: Dense(activation='elu') and Dense(activation=keras.layers.ELU(alpha=1))", () => {
  close(
    apply(new layers.Dense(4, { activation: 'elu', kernelInitializer: 'he_normal' })),
    z.map((v) => elu(v, 1)),
  );
  close(
    apply(new layers.Dense(4, { activation: new layers.ELU({ alpha: 1 }), kernelInitializer: 'he_normal' })),
    z.map((v) => elu(v, 1)),
  );
  close(
    apply(new layers.Dense(4, { activation: new layers.ELU({ alpha: 0.5 }) })),
    z.map((v) => elu(v, 0.5)),
  );
});

test("seed §2.2.3: Dense(activation='selu') and Dense(activation=keras.activations.selu)", () => {
  close(apply(new layers.Dense(4, { activation: 'selu', kernelInitializer: 'lecun_normal' })), z.map(selu));
  close(apply(new layers.Dense(4, { activation: activations.selu, kernelInitializer: 'lecun_normal' })), z.map(selu));
});

test('every function exported from activations is accepted as an activation, with its Keras default', () => {
  close(
    apply(new layers.Dense(4, { activation: activations.elu })),
    z.map((v) => elu(v, 1)),
  );
  close(
    apply(new layers.Dense(4, { activation: activations.leakyRelu })),
    z.map((v) => leaky(v, 0.2)),
  );
  const gelu = (v: number) => 0.5 * v * (1 + erf(v / Math.SQRT2));
  close(apply(new layers.Dense(4, { activation: activations.gelu })), z.map(gelu));
  close(
    apply(new layers.Dense(4, { activation: activations.silu })),
    z.map((v) => v / (1 + Math.exp(-v))),
  );
  for (const [name, fn] of Object.entries(activations)) {
    if (typeof fn !== 'function' || !('spec' in fn)) continue;
    assert.doesNotThrow(() => new layers.Dense(2, { activation: fn as activations.ActivationFunction }), name);
  }
  assert.equal(activations.elu(x, 0.5).data[0], Math.fround(elu(-2, 0.5)), 'the functions keep their parameters');
});

test('a layer with weights, or a plain function, is refused as an activation with the fix', () => {
  assert.throws(
    () => new layers.Dense(2, { activation: new layers.PReLU() }),
    /cannot be used as an activation.*\nhelp: add it as its own layer/s,
  );
  assert.throws(
    () => new layers.Dense(2, { activation: ((t: Tensor) => t) as never }),
    /not one of keel's activations[\s\S]*help:/,
  );
});

test('the same model saves through the TF.js format with the LeakyReLU object as a layer of its own', () => {
  const m = new Sequential([
    new layers.Dense(4, { activation: new layers.LeakyReLU({ alpha: 0.3 }), inputShape: [4] }),
  ]);
  const topology = modelToArtifacts(m).modelJson.modelTopology as {
    config: { layers: { class_name: string; config: Record<string, unknown> }[] };
  };
  const entries = topology.config.layers.map((l) => [l.class_name, l.config.activation ?? l.config.alpha]);
  assert.deepEqual(entries, [
    ['InputLayer', undefined],
    ['Dense', 'linear'],
    ['LeakyReLU', 0.3],
  ]);
});

/** Abramowitz–Stegun 7.1.26 is too coarse here; use the series/continued fraction via Math (erf from erfc). */
function erf(v: number): number {
  // Series for |v| < 3 (enough for the inputs above): erf(v) = 2/√π Σ (−1)^n v^(2n+1) / (n! (2n+1)).
  let sum = 0,
    term = v;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-v * v) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
