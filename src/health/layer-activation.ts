/** Reads which activation a built nn layer applies (observation only; each layer says it itself). */
import type { Layer } from '../nn/layers/layer.js';

export interface LayerActivation {
  name: string;
  param: number;
}

/** The activation a layer applies to its output, or null for layers without one (BN, Dropout, Flatten). */
export function activationOf(layer: Layer): LayerActivation | null {
  const spec = layer.activationSpec();
  return spec === null ? null : { name: spec.name, param: spec.param };
}

/** Activations whose saturation the probe measures, and the band outside which an output counts as saturated. */
export function saturationBand(activation: string | null): [number, number] | null {
  if (activation === 'sigmoid' || activation === 'hard_sigmoid' || activation === 'hard_sigmoid_keras2')
    return [0.01, 0.99];
  if (activation === 'tanh' || activation === 'softsign') return [-0.99, 0.99];
  return null;
}

export const RELU_FAMILY = new Set([
  'relu',
  'leaky_relu',
  'prelu',
  'elu',
  'selu',
  'gelu',
  'gelu_approximate',
  'swish',
  'silu',
]);
export const SATURATING = new Set(['sigmoid', 'tanh', 'softsign', 'hard_sigmoid', 'hard_sigmoid_keras2']);
