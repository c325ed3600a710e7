/** GlobalAveragePooling2D: [batch, h, w, c] → [batch, c], the mean over height and width per channel. */
import { GlobalPooling2D, GLOBAL_POOLING_ARG_SPEC, type GlobalPooling2DArgs } from './global-pooling-2d.js';
import type { LayerArgSpec } from './layer.js';
import { registerLayer } from './serialize.js';

export class GlobalAveragePooling2D extends GlobalPooling2D {
  static readonly className = 'GlobalAveragePooling2D';
  static readonly argSpec: LayerArgSpec = GLOBAL_POOLING_ARG_SPEC;
  protected readonly mode = 'average';

  /** @example new layers.GlobalAveragePooling2D() */
  constructor(args: GlobalPooling2DArgs = {}) {
    super(args);
  }
}

registerLayer(GlobalAveragePooling2D);
