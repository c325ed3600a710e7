/**
 * Bidirectional(SimpleRNN | LSTM | GRU) against PyTorch float64 (test/fixtures/bidirectional.json from
 * test/reference/make_bidirectional_fixtures.py: torch's bidirectional=True modules): forward values and gradients
 * w.r.t. the input and both directions' weights, merge modes concat / sum / ave / mul, with and without
 * returnSequences. The backward half runs goBackwards and is flipped back to input time order (Keras semantics).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Sequential, Tensor, layers, ops } from '../../src/index.js';
import { Variable } from '../../src/autograd/variable.js';
import { valueAndGrads } from '../../src/autograd/value-and-grads.js';
import { layerFromConfig } from '../../src/nn/layers/index.js';
import { assertAllClose, flat } from '../helpers/allclose.js';
import { torchGradsToKeras, torchToKeras, type Kind, type TorchWeights } from '../helpers/torch-recurrent.js';

interface Case {
  kind: Kind;
  merge_mode: layers.MergeMode;
  return_sequences: boolean;
  units: number;
  x: number[][][];
  r: unknown;
  forward: TorchWeights;
  backward: TorchWeights;
  y: unknown;
  grads: { x: unknown; forward: TorchWeights; backward: TorchWeights };
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/bidirectional.json', import.meta.url), 'utf8')) as {
  bidirectional: Case[];
};

function tensorOf(values: unknown, shape: number[]): Tensor {
  return new Tensor(Float32Array.from(flat(values)), shape);
}

function close(actual: ArrayLike<number>, expected: number[], what: string): void {
  const scale = Math.max(1, ...expected.map(Math.abs));
  assertAllClose(actual, expected, { rtol: 2e-4, atol: 2e-5 * scale }, what);
}

function inner(kind: Kind, units: number, returnSequences: boolean) {
  if (kind === 'simple_rnn') return new layers.SimpleRNN(units, { returnSequences });
  if (kind === 'lstm') return new layers.LSTM(units, { returnSequences });
  return new layers.GRU(units, { returnSequences, resetAfter: true });
}

for (const c of fixture.bidirectional) {
  const what = `${c.kind}, merge ${c.merge_mode}, ${c.return_sequences ? 'every step' : 'last step'}`;
  test(`Bidirectional(${what}): forward and gradients match torch bidirectional=True`, () => {
    const [B, T, F] = [c.x.length, c.x[0]!.length, c.x[0]![0]!.length];
    const bi = new layers.Bidirectional(inner(c.kind, c.units, c.return_sequences), { mergeMode: c.merge_mode });
    bi.build([T, F]);
    const sides = [bi.forwardLayer, bi.backwardLayer];
    [c.forward, c.backward].forEach((w, i) => {
      const k = torchToKeras(c.kind, w, c.units);
      sides[i]!.kernel!.assign(Float32Array.from(k.kernel));
      sides[i]!.recurrentKernel!.assign(Float32Array.from(k.recurrent));
      sides[i]!.bias!.assign(Float32Array.from(k.bias));
    });
    const x = new Variable(tensorOf(c.x, [B, T, F]), { name: 'x' });
    let y = new Float32Array(0);
    const vars = [x, ...bi.weights];
    const { grads } = valueAndGrads(() => {
      const out = bi.apply(x, { training: true });
      y = Float32Array.from(out.data);
      return ops.sum(ops.mul(out, tensorOf(c.r, out.shape)));
    }, vars);
    close(y, flat(c.y), 'output');
    close(grads[0]!.data, flat(c.grads.x), '∂x');
    [c.grads.forward, c.grads.backward].forEach((g, i) => {
      const k = torchGradsToKeras(c.kind, g, c.units);
      const [kernel, recurrent, bias] = grads.slice(1 + 3 * i, 4 + 3 * i);
      const side = i === 0 ? 'forward' : 'backward';
      close(kernel!.data, k.kernel, `∂${side} kernel`);
      close(recurrent!.data, k.recurrent, `∂${side} recurrent_kernel`);
      close(bias!.data, k.bias, `∂${side} bias`);
    });
  });
}

test('without flipping the backward sequence back, the torch reference is not matched', () => {
  const c = fixture.bidirectional.find((k) => k.return_sequences && k.merge_mode === 'concat')!;
  const [B, T, F] = [c.x.length, c.x[0]!.length, c.x[0]![0]!.length];
  const back = inner(c.kind, c.units, true);
  const mirror = layerFromConfig({ class_name: back.className, config: { ...back.getConfig(), go_backwards: true } });
  mirror.build([T, F]);
  const k = torchToKeras(c.kind, c.backward, c.units);
  const m = mirror as layers.LSTM;
  m.kernel!.assign(Float32Array.from(k.kernel));
  m.recurrentKernel!.assign(Float32Array.from(k.recurrent));
  m.bias!.assign(Float32Array.from(k.bias));
  const raw = m.apply(tensorOf(c.x, [B, T, F])).data; // processing order: the last input step first
  const expected = flat(c.y);
  const u = c.units;
  const backHalf = (data: ArrayLike<number>, flip: boolean) =>
    Array.from({ length: B * T * u }, (_v, i) => {
      const [b, t, j] = [Math.floor(i / (T * u)), Math.floor(i / u) % T, i % u];
      return data[(b * T + (flip ? T - 1 - t : t)) * u + j]!;
    });
  const want = Array.from({ length: B * T * u }, (_v, i) => {
    const [b, t, j] = [Math.floor(i / (T * u)), Math.floor(i / u) % T, i % u];
    return expected[(b * T + t) * 2 * u + u + j]!;
  });
  close(backHalf(raw, true), want, 'flipped back');
  assert.ok(Math.max(...backHalf(raw, false).map((v, i) => Math.abs(v - want[i]!))) > 1e-2, 'unflipped differs');
});

test('goBackwards: a SimpleRNN reads the sequence last step first and keeps that order in its outputs', () => {
  const x = new Tensor(
    Float32Array.from({ length: 2 * 4 * 3 }, (_v, i) => Math.sin(i)),
    [2, 4, 3],
  );
  const fwd = new layers.SimpleRNN(2, { returnSequences: true, name: 'fwd_rnn' });
  fwd.build([4, 3]);
  const config = { ...fwd.getConfig(), name: 'back_rnn', go_backwards: true };
  const back = layerFromConfig({ class_name: 'SimpleRNN', config }) as layers.SimpleRNN;
  assert.equal(back.goBackwards, true);
  assert.equal(back.getConfig().go_backwards, true);
  back.build([4, 3]);
  back.kernel!.assign(fwd.kernel!.data);
  back.recurrentKernel!.assign(fwd.recurrentKernel!.data);
  back.bias!.assign(fwd.bias!.data);
  const reversed = new Tensor(new Float32Array(x.data.length), [2, 4, 3]);
  for (let b = 0; b < 2; b++)
    for (let t = 0; t < 4; t++)
      reversed.data.set(x.data.subarray((b * 4 + t) * 3, (b * 4 + t + 1) * 3), (b * 4 + 3 - t) * 3);
  assert.deepEqual(back.apply(x).data, fwd.apply(reversed).data);
});

test('Bidirectional: Keras config round trip, summary shape, clear errors', () => {
  const bi = new layers.Bidirectional(new layers.GRU(4, { name: 'gru_x', returnSequences: true }), {
    inputShape: [5, 3],
  });
  const config = bi.getConfig();
  assert.equal(config.merge_mode, 'concat');
  assert.deepEqual((config.layer as { config: { name: string } }).config.name, 'forward_gru_x');
  assert.equal((config.backward_layer as { config: { go_backwards: boolean } }).config.go_backwards, true);
  const copy = layerFromConfig({ class_name: 'Bidirectional', config }) as layers.Bidirectional;
  assert.equal(copy.forwardLayer.name, 'forward_gru_x');
  assert.equal(copy.backwardLayer.name, 'backward_gru_x');
  assert.deepEqual(copy.getConfig(), config);
  const model = new Sequential([bi, new layers.Dense(1)]);
  assert.deepEqual(model.layers[0]!.computeOutputShape([5, 3]), [5, 8]);
  assert.equal(bi.countParams(), 2 * (3 * 12 + 4 * 12 + 2 * 12));
  assert.throws(() => new layers.Bidirectional(new layers.Dense(3)), /layer must be a recurrent layer.*Dense/s);
  assert.throws(
    () => new layers.Bidirectional(new layers.LSTM(2), { mergeMode: 'concatenate' as never }),
    /mergeMode.*one of 'concat', 'sum', 'ave', 'mul'.*received 'concatenate'/s,
  );
  assert.throws(
    () =>
      new layers.Bidirectional(new layers.LSTM(2), {
        backwardLayer: new layers.LSTM(2, { name: 'b2', returnSequences: true, goBackwards: true }),
      }),
    /returnSequences/,
  );
});
