/** Conv2D: 2-D convolution over channels-last images [batch, h, w, cin]; kernel [kh, kw, cin, filters] (Keras). */
import type { Tensor } from '../../tensor/tensor.js';
import { conv2d, convGeometry } from '../../ops/conv.js';
import { activation, softmax } from '../../ops/activation.js';
import { ActivationCode } from '../../kernels/backend.js';
import type { CallContext, LayerArgSpec } from './layer.js';
import { BASE_CONV_ARG_SPEC, BaseConv, type BaseConvArgs } from './conv-base.js';
import { registerLayer } from './serialize.js';

export type Conv2DArgs = BaseConvArgs;

export class Conv2D extends BaseConv {
  static readonly className = 'Conv2D';
  static readonly argSpec: LayerArgSpec = BASE_CONV_ARG_SPEC;

  /**
   * @example new layers.Conv2D(16, { kernelSize: 3, activation: 'relu', kernelInitializer: 'he_normal',
   *   inputShape: [28, 28, 1] })
   */
  constructor(filters: number | Conv2DArgs, args: Conv2DArgs = {}) {
    super(2, filters, args);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    const g = convGeometry(
      x.shape,
      this.kernelSize as [number, number],
      this.strides as [number, number],
      this.dilationRate as [number, number],
      this.padding,
    );
    return applyConv(x, this, g);
  }
}

/** The convolution with this layer's activation fused (softmax and sigmoid as their own ops, as in Dense). */
export function applyConv(x: Tensor, layer: BaseConv, g: Parameters<typeof conv2d>[3], kernel?: Tensor): Tensor {
  const w = kernel ?? layer.kernel!;
  const spec = layer.activation.spec;
  if (spec.code === 'softmax') return softmax(conv2d(x, w, layer.bias, g, ActivationCode.Linear));
  if (spec.code === ActivationCode.Sigmoid) return activation(conv2d(x, w, layer.bias, g), spec.code);
  return conv2d(x, w, layer.bias, g, spec.code, spec.param);
}

registerLayer(Conv2D);
