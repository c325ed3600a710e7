/** What GlobalAveragePooling2D and GlobalMaxPooling2D share: one window over all of height × width. */
import type { Tensor } from '../../tensor/tensor.js';
import { convGeometry, pool2d } from '../../ops/conv.js';
import { reshape } from '../../ops/reshape.js';
import { Layer, type CallContext, type LayerArgs, type LayerArgSpec, type LayerFacts } from './layer.js';
import type { MomentStep, Moments } from './moments.js';
import type { LayerEntry } from '../serialization/tfjs-activation.js';
import { averagePoolStep, maxPoolStep } from './pooling2d.js';

export interface GlobalPooling2DArgs extends LayerArgs {
  /** Only 'channels_last'. */
  dataFormat?: 'channels_last' | null;
  /** Keep the pooled axes as size 1 ([batch, 1, 1, c]); default false ([batch, c]). */
  keepdims?: boolean;
}

export const GLOBAL_POOLING_ARG_SPEC: LayerArgSpec = {
  dataFormat: { type: 'string', oneOf: ['channels_last'], nullable: true },
  keepdims: { type: 'boolean' },
};

export abstract class GlobalPooling2D extends Layer {
  readonly keepdims: boolean;
  protected abstract readonly mode: 'max' | 'average';

  constructor(args: GlobalPooling2DArgs) {
    super(args);
    this.keepdims = args.keepdims ?? false;
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const [batch, h, w, c] = x.shape as [number, number, number, number];
    const y = pool2d(x, convGeometry(x.shape, [h, w], [h, w], [1, 1], 'valid'), this.mode);
    return this.keepdims ? y : reshape(y, [batch, c]);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    if (inputShape.length !== 3) {
      throw new Error(
        `${this.where}: expects inputs [batch, height, width, channels]; received [null, ${inputShape.join(', ')}]`,
      );
    }
    return this.keepdims ? [1, 1, inputShape[2]!] : [inputShape[2]!];
  }

  override build(inputShape: number[]): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  override weightSpecs(): [] {
    return [];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), data_format: 'channels_last', keepdims: this.keepdims };
  }

  /** TF.js 4.22 ignores `keepdims` (its output is always [batch, c]): refused rather than changed. */
  override tfjsEntries(config: Record<string, unknown>, taken: Set<string>): LayerEntry[] {
    if (this.keepdims) {
      throw new Error(
        `saveModel: layer '${this.name}' (${this.className}) with keepdims true cannot be written for TensorFlow.js: ` +
          `TF.js 4.22 ignores keepdims\nhelp: use keepdims false followed by Reshape([1, 1, channels])`,
      );
    }
    return super.tfjsEntries(config, taken);
  }

  override doctorFacts(): LayerFacts {
    return { role: 'other', fullyConnected: false };
  }

  /** As a pooling window of h·w inputs (without overlap); null before the layer knows its input. */
  override momentRule(x: Moments): MomentStep | null {
    if (this.builtInputShape === null) return null;
    const window = this.builtInputShape[0]! * this.builtInputShape[1]!;
    return this.mode === 'max' ? maxPoolStep(x, window, 1) : averagePoolStep(x, window, 1);
  }
}
