/** AlphaDropout keeps SELU's fixed point (mean 0, variance 1); plain Dropout does not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlphaDropout } from './alpha-dropout.js';
import { Dropout } from './dropout.js';
import { layerFromConfig } from './index.js';
import { Tensor } from '../../tensor/tensor.js';
import { Random } from '../../tensor/rng.js';
import * as activations from '../activations.js';

function seluOfNormals(n: number): Tensor {
  const rng = new Random(2024);
  const z = new Float32Array(n);
  for (let i = 0; i < n; i++) z[i] = rng.normal();
  return activations.selu(new Tensor(z, [n / 1000, 1000]));
}

function meanVar(a: Float32Array): [number, number] {
  let s = 0;
  for (const v of a) s += v;
  const m = s / a.length;
  let q = 0;
  for (const v of a) q += (v - m) ** 2;
  return [m, q / a.length];
}

test('SELU(N(0,1)) through AlphaDropout(0.1) in training: mean 0 ± 0.01, variance 1 ± 0.02 on 10⁶ samples', () => {
  const h = seluOfNormals(1_000_000);
  const [m0, v0] = meanVar(h.data);
  assert.ok(Math.abs(m0) < 0.01 && Math.abs(v0 - 1) < 0.02, `SELU output itself: mean ${m0}, var ${v0}`);
  const [m, v] = meanVar(new AlphaDropout({ rate: 0.1, seed: 1 }).apply(h, { training: true }).data);
  assert.ok(Math.abs(m) < 0.01, `mean ${m}`);
  assert.ok(Math.abs(v - 1) < 0.02, `variance ${v}`);
  const [md, vd] = meanVar(new Dropout({ rate: 0.1, seed: 1 }).apply(h, { training: true }).data);
  assert.ok(Math.abs(vd - 1) > 0.05, `plain Dropout should inflate the variance: mean ${md}, variance ${vd}`);
});

test('inference is the identity; rate validated like Dropout; config round trip', () => {
  const h = seluOfNormals(1000);
  const layer = new AlphaDropout(0.2, { seed: 4 });
  assert.equal(layer.apply(h, { training: false }), h);
  assert.equal(layer.className, 'AlphaDropout');
  assert.match(layer.name, /^alpha_dropout/);
  assert.throws(() => new AlphaDropout(1.5), /Invalid rate for AlphaDropout/);
  // Rate 1 is accepted as Keras does; Keras's own formula then gives NaN (a = 0^(-1/2)), Keel gives zeros.
  assert.deepEqual(Array.from(new AlphaDropout(1).apply(h, { training: true }).data.subarray(0, 5)), [0, 0, 0, 0, 0]);
  const copy = layerFromConfig({ class_name: 'AlphaDropout', config: layer.getConfig() });
  assert.ok(copy instanceof AlphaDropout);
  assert.deepEqual(copy.apply(h, { training: true }).data, layer.apply(h, { training: true }).data);
});
