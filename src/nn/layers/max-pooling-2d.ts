/** MaxPooling2D: the largest value of each window per channel; 'same' padding never wins (−∞ padding). */
import { Pooling2D, POOLING_ARG_SPEC, type Pooling2DArgs } from './pooling2d.js';
import type { LayerArgSpec } from './layer.js';
import { registerLayer } from './serialize.js';

export type MaxPooling2DArgs = Pooling2DArgs;

export class MaxPooling2D extends Pooling2D {
  static readonly className = 'MaxPooling2D';
  static readonly argSpec: LayerArgSpec = POOLING_ARG_SPEC;
  protected readonly mode = 'max';

  /** @example new layers.MaxPooling2D(2)  // or { poolSize: [2, 2], strides: 1, padding: 'same' } */
  constructor(poolSize?: number | number[] | MaxPooling2DArgs, args: MaxPooling2DArgs = {}) {
    super(poolSize, args);
  }
}

registerLayer(MaxPooling2D);
