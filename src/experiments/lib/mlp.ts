/** Deep multilayer perceptrons built from a repeated hidden block, with a softmax output. */
import { Sequential } from '../../nn/model.js';
import { Dense, type DenseArgs } from '../../nn/layers/dense.js';
import { Activation } from '../../nn/layers/activation.js';
import { BatchNormalization } from '../../nn/layers/batch-normalization.js';
import type { Layer } from '../../nn/layers/layer.js';
import type { ActivationIdentifier } from '../../nn/activations.js';
import type { Initializer, InitializerIdentifier } from '../../nn/initializers/index.js';

export type Kernel = InitializerIdentifier | Initializer;
/** The layers of hidden block `index` (0-based). */
export type Block = (index: number) => Layer[];

export interface MlpSpec {
  inputDim: number;
  depth: number;
  block: Block;
  classes: number;
  /** Layers before the first block (e.g. BatchNormalization on the inputs). */
  head?: Layer[];
  /** Layers between the last block and the output layer (e.g. AlphaDropout). */
  tail?: Layer[];
}

/** inputDim → head → depth × block → tail → Dense(classes, softmax, glorot_uniform). */
export function mlp(spec: MlpSpec): Sequential {
  const stack: Layer[] = [...(spec.head ?? [])];
  for (let i = 0; i < spec.depth; i++) stack.push(...spec.block(i));
  stack.push(...(spec.tail ?? []), new Dense(spec.classes, { activation: 'softmax' }));
  const model = new Sequential(stack);
  model.build([spec.inputDim]);
  return model;
}

/** Dense(units, activation, kernel) as one layer. */
export function denseBlock(
  units: number,
  activation: ActivationIdentifier,
  kernel: Kernel,
  extra: DenseArgs = {},
): Block {
  return () => [new Dense(units, { activation, kernelInitializer: kernel, ...extra })];
}

/** Dense (no bias) → BatchNormalization → Activation (Ioffe & Szegedy 2015, §3.2: normalize x = Wu). */
export function bnBeforeBlock(units: number, activation: ActivationIdentifier, kernel: Kernel): Block {
  return () => [
    new Dense(units, { kernelInitializer: kernel, useBias: false }),
    new BatchNormalization(),
    new Activation(activation),
  ];
}

/** The hidden layers with a kernel (excluding the output layer). */
export function hiddenDense(model: Sequential): Layer[] {
  const dense = model.layers.filter((l) => l.kernelWeight !== null);
  return dense.slice(0, -1);
}
