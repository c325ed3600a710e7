/**
 * SimpleRNN (Keras 3): h_t = activation(x_t·W + h_{t−1}·U + b); kernel [F, u], recurrent_kernel [u, u],
 * bias [u].
 */
import type { Tensor } from '../../tensor/tensor.js';
import { simpleRnn, type RecurrentOptions } from '../../ops/recurrent.js';
import { RECURRENT_ARG_SPEC, RecurrentLayer, type InitId, type RecurrentArgs } from './recurrent.js';
import type { LayerArgSpec } from './layer.js';
import { registerLayer } from './serialize.js';

export type SimpleRNNArgs = RecurrentArgs;

export class SimpleRNN extends RecurrentLayer {
  static readonly className = 'SimpleRNN';
  static readonly argSpec: LayerArgSpec = RECURRENT_ARG_SPEC;
  protected readonly gateCount = 1;

  /** @example new layers.SimpleRNN(32, { activation: 'tanh', inputShape: [28, 28] }) */
  constructor(units: number | SimpleRNNArgs, args: SimpleRNNArgs = {}) {
    super(units, args);
  }

  protected biasSpec(): { shape: number[]; initializer: InitId } {
    return { shape: [this.units], initializer: this.biasInitializer };
  }

  protected run(x: Tensor, options: RecurrentOptions): Tensor {
    return simpleRnn(x, this.kernel!, this.recurrentKernel!, this.bias, options);
  }
}

registerLayer(SimpleRNN);
