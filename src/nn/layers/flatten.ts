/** Flatten: [batch, d1, d2, ...] → [batch, d1·d2·...]. */
import type { Tensor } from '../../tensor/tensor.js';
import { reshape } from '../../ops/reshape.js';
import { Layer, type CallContext, type LayerArgs } from './layer.js';

export class Flatten extends Layer {
  readonly className = 'Flatten';
  constructor(args: LayerArgs = {}) { super(args, 'flatten'); }
  call(x: Tensor, _ctx: CallContext): Tensor { return reshape(x, [x.shape[0]!, -1]); }
  override computeOutputShape(inputShape: number[]): number[] { return [inputShape.reduce((p, d) => p * d, 1)]; }
  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), data_format: 'channels_last' }; }
}
