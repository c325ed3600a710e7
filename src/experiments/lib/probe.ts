/**
 * One forward and backward pass that records, for every layer, its output and
 * the gradient of the loss with respect to that output. The gradient is taken
 * exactly through Keel's tape by adding a zero "perturbation" variable to each
 * layer's output: ∂C/∂(output) = ∂C/∂(perturbation).
 */
import { Tensor } from '../../tensor/tensor.js';
import { Variable } from '../../autograd/variable.js';
import { valueAndGrads } from '../../autograd/value-and-grads.js';
import { add, mul, sum } from '../../ops/index.js';
import type { Sequential } from '../../nn/model.js';
import type { Layer } from '../../nn/layers/layer.js';
import { moments, type Moments } from './stats.js';

export interface LayerTrace {
  layer: Layer;
  output: Float32Array;
  /** ∂C/∂output, per example and unit. */
  grad: Float32Array;
}

/** Loss of the network's final output. */
export type LossOf = (output: Tensor) => Tensor;

/** Runs `model` on x (training mode by default) and returns every layer's output and output gradient. */
export function traceLayers(
  model: Sequential,
  x: Tensor,
  lossOf: LossOf,
  training = true,
): { loss: number; layers: LayerTrace[] } {
  const batch = x.shape[0]!;
  let shape = x.shape.slice(1);
  const perturb = model.layers.map((l) => {
    shape = l.computeOutputShape(shape);
    const size = batch * shape.reduce((a, b) => a * b, 1);
    return new Variable(new Float32Array(size), { name: `${l.name}/probe`, shape: [batch, ...shape] });
  });
  const outputs: Float32Array[] = [];
  const { value, grads } = valueAndGrads(() => {
    let h = x;
    model.layers.forEach((layer, i) => {
      h = add(layer.apply(h, { training }), perturb[i]!);
      outputs.push(Float32Array.from(h.data));
    });
    return lossOf(h);
  }, perturb);
  return {
    loss: value.data[0]!,
    layers: model.layers.map((layer, i) => ({ layer, output: outputs[i]!, grad: grads[i]!.data })),
  };
}

/** C = Σ output · R for a fixed R: injects the gradient R at the top (Glorot & Bengio 2010 §4.2.2). */
export function injectedGradient(r: Tensor): LossOf {
  return (out) => sum(mul(out, r));
}

/** Forward only, keeping per-layer moments (cheap in memory for very deep or wide nets). */
export function forwardMoments(model: Sequential, x: Tensor, training = false): { layer: Layer; moments: Moments }[] {
  const out: { layer: Layer; moments: Moments }[] = [];
  model.apply(x, {
    training,
    observe: (layer, o) => {
      out.push({ layer, moments: moments(o.data) });
    },
  });
  return out;
}

/** A [rows, cols] tensor of N(0, 1) draws from a seeded generator. */
export function gaussian(rows: number, cols: number, rng: { normal(): number }, mean = 0, std = 1): Tensor {
  const a = new Float32Array(rows * cols);
  for (let i = 0; i < a.length; i++) a[i] = mean + std * rng.normal();
  return new Tensor(a, [rows, cols]);
}
