/**
 * Conv1D: 1-D convolution over sequences [batch, steps, cin]; kernel [k, cin, filters] (Keras). Padding
 * 'causal' pads (k − 1)·dilation zeros on the left only, so output t sees inputs ≤ t.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { reshape } from '../../ops/reshape.js';
import { convGeometry } from '../../ops/conv.js';
import type { CallContext, LayerArgSpec } from './layer.js';
import { BASE_CONV_ARG_SPEC, BaseConv, type BaseConvArgs } from './conv-base.js';
import { applyConv } from './conv2d.js';
import { registerLayer } from './serialize.js';
import type { LayerEntry } from '../serialization/tfjs-activation.js';

export type Conv1DArgs = BaseConvArgs;

export class Conv1D extends BaseConv {
  static readonly className = 'Conv1D';
  static readonly argSpec: LayerArgSpec = {
    ...BASE_CONV_ARG_SPEC,
    padding: { type: 'string', oneOf: ['valid', 'same', 'causal'] },
  };

  /** @example new layers.Conv1D(8, { kernelSize: 3, padding: 'causal', dilationRate: 2, inputShape: [100, 1] }) */
  constructor(filters: number | Conv1DArgs, args: Conv1DArgs = {}) {
    super(1, filters, args);
  }

  /** As a Conv2D of height 1: [batch, steps, c] is [batch, 1, steps, c], the kernel [1, k, cin, cout]. */
  call(x: Tensor, _ctx: CallContext): Tensor {
    const [batch, steps, c] = x.shape as [number, number, number];
    const x4 = reshape(x, [batch, 1, steps, c]);
    const g = convGeometry(
      x4.shape,
      [1, this.kernelSize[0]!],
      [1, this.strides[0]!],
      [1, this.dilationRate[0]!],
      this.padding,
    );
    const kernel = reshape(this.kernel!, [1, ...this.kernel!.shape]);
    const y = applyConv(x4, this, g, kernel);
    return reshape(y, [batch, g.outW, this.filters]);
  }

  /** TF.js 4.22 infers a 'causal' Conv1D's output length as for 'valid' and then fails to load the next layer. */
  override tfjsEntries(config: Record<string, unknown>, taken: Set<string>): LayerEntry[] {
    if (this.padding === 'causal') {
      throw new Error(
        `saveModel: layer '${this.name}' (Conv1D) with padding 'causal' cannot be written for TensorFlow.js: TF.js ` +
          `4.22 computes its output length as for 'valid' (k − 1 steps short), so the loaded model breaks` +
          `\nhelp: keep the model in Keel`,
      );
    }
    return super.tfjsEntries(config, taken);
  }
}

registerLayer(Conv1D);
