/**
 * Where a NaN/Inf first appeared in a training step, for the fit loop's stop
 * message and history.nonFinite.layer:
 *  - the loss is non-finite → the first layer (forward order) whose output holds
 *    a non-finite value; if every output is finite, the loss itself;
 *  - a gradient is non-finite → backprop spreads a NaN from where it arises to
 *    every earlier layer, so the origin is the LAST layer (forward order) with a
 *    non-finite gradient;
 *  - a weight is non-finite after the update → the first such weight.
 */
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../autograd/variable.js';
import type { Layer } from './layers/layer.js';
import { kernels } from '../kernels/registry.js';
import { knownFinite } from '../tensor/arena.js';

export interface NonFiniteReport {
  /** Layer name, or null when the non-finite value arose in the loss function. */
  layer: string | null;
  /** Human-readable: what became non-finite, and where. */
  description: string;
}

/** Runs every step on every weight and gradient, so it is a (SIMD) kernel. */
function firstBad(data: Float32Array): number {
  return kernels().firstNonFinite(data, data.length);
}

function layerOf(layers: readonly Layer[], v: Variable): Layer | undefined {
  return layers.find((l) => l.weights.includes(v));
}

function describeLayer(layer: Layer | undefined, fallback: string): string {
  return layer !== undefined ? `layer '${layer.name}' (${layer.className})` : `variable '${fallback}'`;
}

/** For a step whose loss is non-finite. */
export function diagnoseNonFinite(
  layers: readonly Layer[],
  outputs: readonly { layer: Layer; output: Tensor }[],
  grads: readonly Float32Array[],
  variables: readonly Variable[],
  loss: number,
): NonFiniteReport {
  for (const { layer, output } of outputs) {
    const i = firstBad(output.data);
    if (i >= 0)
      return {
        layer: layer.name,
        description:
          `the loss became ${loss}; the first NaN/Inf appeared in the output of layer '${layer.name}' (` +
          `${layer.className}), value ${output.data[i]} at flat index ${i}`,
      };
  }
  // Every output finite: the loss overflowed (huge outputs) or the targets are not finite.
  const grad = firstNonFiniteGradient(layers, grads, variables);
  if (grad !== null)
    return {
      layer: grad.layer,
      description:
        `the loss became ${loss} with every layer output finite (outputs too large, or non-finite ` +
        `targets); ${grad.description}`,
    };
  return {
    layer: null,
    description: `the loss became ${loss} with every layer output finite: check the targets and the loss`,
  };
}

/** The deepest variable whose gradient holds a NaN/Inf, or null. */
export function firstNonFiniteGradient(
  layers: readonly Layer[],
  grads: readonly Float32Array[],
  variables: readonly Variable[],
): NonFiniteReport | null {
  for (let k = variables.length - 1; k >= 0; k--) {
    // A gradient its op scanned as it computed it (ops/dense.ts: the kernel's) needs no second pass.
    const i = knownFinite(grads[k]!) ? -1 : firstBad(grads[k]!);
    if (i < 0) continue;
    const v = variables[k]!,
      layer = layerOf(layers, v);
    return {
      layer: layer?.name ?? null,
      description:
        `the gradient of ${describeLayer(layer, v.name)} became non-finite (weight '${v.name}', value ` +
        `${grads[k]![i]} at flat index ${i}); the update was not applied`,
    };
  }
  return null;
}

/** The first variable holding a NaN/Inf after the update, or null. */
export function firstNonFiniteWeight(layers: readonly Layer[], variables: readonly Variable[]): NonFiniteReport | null {
  for (const v of variables) {
    const i = firstBad(v.data);
    if (i < 0) continue;
    const layer = layerOf(layers, v);
    return {
      layer: layer?.name ?? null,
      description:
        `weight '${v.name}' of ${describeLayer(layer, v.name)} became ${v.data[i]} at flat index ${i} ` +
        `after the update`,
    };
  }
  return null;
}
