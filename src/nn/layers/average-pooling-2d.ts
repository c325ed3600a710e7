/** AveragePooling2D: the mean of each window per channel; 'same' padding divides by the valid count only (Keras). */
import { Pooling2D, POOLING_ARG_SPEC, type Pooling2DArgs } from './pooling2d.js';
import type { LayerArgSpec } from './layer.js';
import { registerLayer } from './serialize.js';

export type AveragePooling2DArgs = Pooling2DArgs;

export class AveragePooling2D extends Pooling2D {
  static readonly className = 'AveragePooling2D';
  static readonly argSpec: LayerArgSpec = POOLING_ARG_SPEC;
  protected readonly mode = 'average';

  /** @example new layers.AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same' }) */
  constructor(poolSize?: number | number[] | AveragePooling2DArgs, args: AveragePooling2DArgs = {}) {
    super(poolSize, args);
  }
}

registerLayer(AveragePooling2D);
