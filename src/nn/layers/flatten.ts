/** Flatten: [batch, d1, d2, ...] → [batch, d1·d2·...], in row-major (channels-last) order. */
import type { Tensor } from '../../tensor/tensor.js';
import { reshape } from '../../ops/reshape.js';
import { Layer, type CallContext, type LayerArgs, type LayerArgSpec, type LayerFacts } from './layer.js';
import { identityStep, type MomentStep, type Moments } from './moments.js';
import { registerLayer } from './serialize.js';

export interface FlattenArgs extends LayerArgs {
  /** Only 'channels_last'. */
  dataFormat?: 'channels_last' | null;
}

export class Flatten extends Layer {
  static readonly className = 'Flatten';
  static readonly argSpec: LayerArgSpec = { dataFormat: { type: 'string', oneOf: ['channels_last'], nullable: true } };

  constructor(args: FlattenArgs = {}) {
    super(args);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return reshape(x, [x.shape[0]!, -1]);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return [inputShape.reduce((p, d) => p * d, 1)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: 'channels_last' };
  }

  override weightSpecs(): [] {
    return [];
  }

  override doctorFacts(): LayerFacts {
    return { role: 'reshape', fullyConnected: true };
  }

  /** Values are only moved: moments are unchanged. */
  override momentRule(x: Moments): MomentStep {
    return identityStep(x);
  }
}

registerLayer(Flatten);
