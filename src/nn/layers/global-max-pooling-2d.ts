/** GlobalMaxPooling2D: [batch, h, w, c] → [batch, c], the largest value over height and width per channel. */
import { GlobalPooling2D, GLOBAL_POOLING_ARG_SPEC, type GlobalPooling2DArgs } from './global-pooling-2d.js';
import type { LayerArgSpec } from './layer.js';
import { registerLayer } from './serialize.js';

export class GlobalMaxPooling2D extends GlobalPooling2D {
  static readonly className = 'GlobalMaxPooling2D';
  static readonly argSpec: LayerArgSpec = GLOBAL_POOLING_ARG_SPEC;
  protected readonly mode = 'max';

  /** @example new layers.GlobalMaxPooling2D({ keepdims: true }) */
  constructor(args: GlobalPooling2DArgs = {}) {
    super(args);
  }
}

registerLayer(GlobalMaxPooling2D);
