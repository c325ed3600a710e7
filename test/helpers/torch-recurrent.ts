/**
 * PyTorch ⇄ Keras recurrent weight layouts, written once for the reference tests (and as documentation):
 *  - PyTorch keeps weight_ih [g·u, F] and weight_hh [g·u, u] (gates along rows), Keras kernel [F, g·u] and
 *    recurrent_kernel [u, g·u] (gates along columns): a transpose.
 *  - LSTM gates: Keras i, f, c, o = PyTorch i, f, g, o (same blocks). GRU: Keras z, r, h; PyTorch r, z, n.
 *  - PyTorch adds two biases (b_ih + b_hh) where Keras's SimpleRNN and LSTM have one: Keras bias = b_ih + b_hh
 *    (and the gradient of each PyTorch bias equals Keras's). Keras GRU (reset_after) keeps both: bias [2, 3u] =
 *    [b_ih; b_hh] in Keras gate order, as PyTorch's n = tanh(W_in·x + b_in + r·(W_hn·h + b_hn)).
 */
import { flat } from './allclose.js';

export type Kind = 'simple_rnn' | 'lstm' | 'gru';

/** [rows, cols] nested array → row-major values of its transpose [cols, rows]. */
export function transpose(m: number[][]): number[] {
  const rows = m.length,
    cols = m[0]!.length;
  const out = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = m[i]![j]!;
  return out;
}

/** GRU gate blocks along the first axis: PyTorch r, z, n → Keras z, r, h (each `units` rows). */
export function gruToKerasOrder<T>(rows: T[], units: number): T[] {
  return [...rows.slice(units, 2 * units), ...rows.slice(0, units), ...rows.slice(2 * units)];
}

export interface TorchWeights {
  weight_ih: number[][];
  weight_hh: number[][];
  bias_ih: number[];
  bias_hh: number[];
}

/** Keras kernel, recurrent_kernel and bias values (row-major) from PyTorch's parameters. */
export function torchToKeras(kind: Kind, w: TorchWeights, units: number, reorder = true) {
  const order = <T>(rows: T[]): T[] => (kind === 'gru' && reorder ? gruToKerasOrder(rows, units) : rows);
  const kernel = transpose(order(w.weight_ih));
  const recurrent = transpose(order(w.weight_hh));
  const bih = order(w.bias_ih),
    bhh = order(w.bias_hh);
  const bias = kind === 'gru' ? [...bih, ...bhh] : bih.map((v, i) => v + bhh[i]!);
  return { kernel, recurrent, bias };
}

/** The Keras gradients PyTorch's gradients correspond to (the bias gradient of either PyTorch bias for one bias). */
export function torchGradsToKeras(kind: Kind, g: TorchWeights, units: number) {
  const order = <T>(rows: T[]): T[] => (kind === 'gru' ? gruToKerasOrder(rows, units) : rows);
  return {
    kernel: transpose(order(g.weight_ih)),
    recurrent: transpose(order(g.weight_hh)),
    bias: kind === 'gru' ? [...order(g.bias_ih), ...order(g.bias_hh)] : flat(g.bias_ih),
  };
}
