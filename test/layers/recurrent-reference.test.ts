/**
 * SimpleRNN, LSTM, GRU (reset_after true and false), Embedding and LayerNormalization against PyTorch float64
 * (test/fixtures/recurrent.json from test/reference/make_rnn_fixtures.py): forward values, gradients of a fixed
 * projection of the output w.r.t. the input and every weight, and ‖∂L/∂h_t‖ per step. The Keras ⇄ PyTorch
 * layout
 * mapping (gate order, transposes, two biases) is done here, in test/helpers/torch-recurrent.ts, so it is tested.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Tensor, layers, ops } from '../../src/index.js';
import { Variable } from '../../src/autograd/variable.js';
import { valueAndGrads } from '../../src/autograd/value-and-grads.js';
import { assertAllClose, flat, worstMismatch } from '../helpers/allclose.js';
import { torchGradsToKeras, torchToKeras, type Kind, type TorchWeights } from '../helpers/torch-recurrent.js';

interface Case {
  kind: Kind;
  activation: 'tanh' | 'relu';
  loss: 'sequence' | 'last';
  units: number;
  x: number[][][];
  r: unknown;
  torch: TorchWeights;
  y: unknown;
  grads: TorchWeights & { x: unknown };
  grad_norms_through_time: number[];
}
interface KerasCase {
  loss: 'sequence' | 'last';
  units: number;
  x: number[][][];
  r: unknown;
  keras: { kernel: unknown; recurrent_kernel: unknown; bias: unknown };
  y: unknown;
  grads: { x: unknown; kernel: unknown; recurrent_kernel: unknown; bias: unknown };
  grad_norms_through_time: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/recurrent.json', import.meta.url), 'utf8')) as {
  recurrent: Case[];
  gru_reset_before: KerasCase[];
  embedding: { table: number[][]; ids: number[][]; r: unknown; y: unknown; grad_table: unknown };
  layer_normalization: {
    epsilon: number;
    x: unknown;
    gamma: number[];
    beta: number[];
    r: unknown;
    y: unknown;
    grads: { x: unknown; gamma: unknown; beta: unknown };
  };
};

function tensorOf(values: unknown, shape: number[]): Tensor {
  return new Tensor(Float32Array.from(flat(values)), shape);
}

/** Tolerance for float32 against float64: relative, with a floor scaled by the largest expected value. */
function close(actual: ArrayLike<number>, expected: number[], what: string): void {
  const scale = Math.max(1, ...expected.map(Math.abs));
  assertAllClose(actual, expected, { rtol: 2e-4, atol: 2e-5 * scale }, what);
}

function makeLayer(kind: Kind | 'gru_reset_before', units: number, activation: string, sequence: boolean) {
  const common = { returnSequences: sequence, activation: activation as 'tanh' };
  if (kind === 'simple_rnn') return new layers.SimpleRNN(units, common);
  if (kind === 'lstm') return new layers.LSTM(units, common);
  return new layers.GRU(units, { ...common, resetAfter: kind === 'gru' });
}

function run(
  layer: layers.SimpleRNN | layers.LSTM | layers.GRU,
  x: number[][][],
  r: unknown,
  weights: { kernel: number[]; recurrent: number[]; bias: number[] },
) {
  const [B, T, F] = [x.length, x[0]!.length, x[0]![0]!.length];
  layer.build([T, F]);
  layer.kernel!.assign(Float32Array.from(weights.kernel));
  layer.recurrentKernel!.assign(Float32Array.from(weights.recurrent));
  layer.bias!.assign(Float32Array.from(weights.bias));
  layer.traceGradientsThroughTime = true;
  const input = new Variable(tensorOf(x, [B, T, F]), { name: 'x' });
  let y: Float32Array = new Float32Array(0);
  const { value, grads } = valueAndGrads(() => {
    const out = layer.apply(input, { training: true });
    y = Float32Array.from(out.data);
    return ops.sum(ops.mul(out, tensorOf(r, out.shape)));
  }, [input, layer.kernel!, layer.recurrentKernel!, layer.bias!]);
  return { y, loss: value.item(), grads: grads.map((g) => g.data), norms: layer.gradientNormsThroughTime! };
}

for (const c of fixture.recurrent) {
  test(`${c.kind} (${c.activation}, loss on ${c.loss}): forward and gradients match PyTorch via the mapping`, () => {
    const layer = makeLayer(c.kind, c.units, c.activation, c.loss === 'sequence');
    const out = run(layer, c.x, c.r, torchToKeras(c.kind, c.torch, c.units));
    close(out.y, flat(c.y), 'output');
    const g = torchGradsToKeras(c.kind, c.grads, c.units);
    close(out.grads[0]!, flat(c.grads.x), '∂x');
    close(out.grads[1]!, g.kernel, '∂kernel');
    close(out.grads[2]!, g.recurrent, '∂recurrent_kernel');
    close(out.grads[3]!, g.bias, '∂bias');
    close(out.norms, c.grad_norms_through_time, '‖∂L/∂h_t‖');
  });
}

test('the gate-order mapping matters: GRU without the r, z → z, r reorder does not match PyTorch', () => {
  const c = fixture.recurrent.find((k) => k.kind === 'gru')!;
  const layer = makeLayer('gru', c.units, 'tanh', c.loss === 'sequence');
  const out = run(layer, c.x, c.r, torchToKeras('gru', c.torch, c.units, false));
  assert.notEqual(worstMismatch(out.y, flat(c.y), { rtol: 1e-3, atol: 1e-3 }), null);
});

test('the two PyTorch biases matter: LSTM with bias_ih alone (bias_hh dropped) does not match PyTorch', () => {
  const c = fixture.recurrent.find((k) => k.kind === 'lstm')!;
  const w = torchToKeras('lstm', { ...c.torch, bias_hh: c.torch.bias_hh.map(() => 0) }, c.units);
  const out = run(makeLayer('lstm', c.units, 'tanh', c.loss === 'sequence'), c.x, c.r, w);
  assert.notEqual(worstMismatch(out.y, flat(c.y), { rtol: 1e-3, atol: 1e-3 }), null);
});

for (const c of fixture.gru_reset_before) {
  test(`GRU resetAfter false (loss on ${c.loss}): forward and gradients match the Keras formula in float64`, () => {
    const layer = makeLayer('gru_reset_before', c.units, 'tanh', c.loss === 'sequence');
    const out = run(layer, c.x, c.r, {
      kernel: flat(c.keras.kernel),
      recurrent: flat(c.keras.recurrent_kernel),
      bias: flat(c.keras.bias),
    });
    close(out.y, flat(c.y), 'output');
    close(out.grads[0]!, flat(c.grads.x), '∂x');
    close(out.grads[1]!, flat(c.grads.kernel), '∂kernel');
    close(out.grads[2]!, flat(c.grads.recurrent_kernel), '∂recurrent_kernel');
    close(out.grads[3]!, flat(c.grads.bias), '∂bias');
    close(out.norms, c.grad_norms_through_time, '‖∂L/∂h_t‖');
  });
}

test('Embedding: lookup and gradients adding up over a repeated id match PyTorch', () => {
  const e = fixture.embedding;
  const layer = new layers.Embedding(e.table.length, e.table[0]!.length);
  layer.build([e.ids[0]!.length]);
  layer.embeddings!.assign(Float32Array.from(flat(e.table)));
  const ids = tensorOf(e.ids, [e.ids.length, e.ids[0]!.length]);
  const { grads } = valueAndGrads(() => {
    const y = layer.apply(ids);
    close(y.data, flat(e.y), 'lookup');
    return ops.sum(ops.mul(y, tensorOf(e.r, y.shape)));
  }, [layer.embeddings!]);
  close(grads[0]!.data, flat(e.grad_table), '∂embeddings');
  assert.throws(() => layer.apply(tensorOf([[6, 0, 0, 0]], [1, 4])), /id 6 at position 0 is outside \[0, 6\)/);
});

test('LayerNormalization (ε = 1e-3, Keras): forward and gradients match PyTorch', () => {
  const l = fixture.layer_normalization;
  const layer = new layers.LayerNormalization();
  assert.equal(layer.epsilon, l.epsilon);
  layer.build([2, 5]);
  layer.gamma!.assign(Float32Array.from(l.gamma));
  layer.beta!.assign(Float32Array.from(l.beta));
  const x = new Variable(tensorOf(l.x, [3, 2, 5]), { name: 'x' });
  const { grads } = valueAndGrads(() => {
    const y = layer.apply(x);
    close(y.data, flat(l.y), 'output');
    return ops.sum(ops.mul(y, tensorOf(l.r, y.shape)));
  }, [x, layer.gamma!, layer.beta!]);
  close(grads[0]!.data, flat(l.grads.x), '∂x');
  close(grads[1]!.data, flat(l.grads.gamma), '∂gamma');
  close(grads[2]!.data, flat(l.grads.beta), '∂beta');
});
