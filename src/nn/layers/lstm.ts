/**
 * LSTM (Hochreiter & Schmidhuber 1997, with a forget gate; Keras 3 semantics): z = x_t·W + h_{t−1}·U + b split into
 * gates i, f, c, o (each `units` wide; PyTorch orders them i, f, g, o, the same blocks); c_t = σ(f)·c_{t−1} +
 * σ(i)·act(c), h_t = σ(o)·act(c_t), σ the recurrent activation ('sigmoid' in Keras 3; tf.keras 2 and TF.js default
 * to 'hard_sigmoid', which a document in that dialect must spell out and Keel refuses, see import-topology.ts).
 * unitForgetBias (default true) starts the forget block of the bias at 1 (Jozefowicz et al. 2015).
 */
import type { Tensor } from '../../tensor/tensor.js';
import { lstm, type RecurrentOptions } from '../../ops/recurrent.js';
import * as activations from '../activations.js';
import * as initializers from '../initializers/index.js';
import {
  BlockInitializer,
  RECURRENT_ARG_SPEC,
  RecurrentLayer,
  cellCode,
  type InitId,
  type RecurrentArgs,
} from './recurrent.js';
import type { LayerArgSpec } from './layer.js';
import { registerLayer } from './serialize.js';

export interface LSTMArgs extends RecurrentArgs {
  /** The gates' activation. Default 'sigmoid' (Keras 3). */
  recurrentActivation?: activations.ActivationLike | null;
  /**
   * Start the forget gate's bias block at 1 (the rest from biasInitializer). Default true. null (what TF.js writes
   * for an LSTM built without it) means false, as TF.js reads it.
   */
  unitForgetBias?: boolean | null;
}

export class LSTM extends RecurrentLayer {
  static readonly className = 'LSTM';
  static readonly argSpec: LayerArgSpec = {
    ...RECURRENT_ARG_SPEC,
    recurrentActivation: { type: 'any' },
    unitForgetBias: { type: 'boolean', nullable: true },
  };
  protected readonly gateCount = 4;
  readonly recurrentActivation: activations.ActivationFunction;
  readonly unitForgetBias: boolean;

  /** @example new layers.LSTM(64, { inputShape: [28, 28] }) */
  constructor(units: number | LSTMArgs, args: LSTMArgs = {}) {
    super(units, args);
    const merged: LSTMArgs = typeof units === 'object' && units !== null ? units : args;
    this.recurrentActivation = activations.get(
      merged.recurrentActivation === undefined ? 'sigmoid' : merged.recurrentActivation,
      `${this.where} recurrentActivation`,
    );
    cellCode(this.recurrentActivation, `${this.where} recurrentActivation`);
    this.unitForgetBias = merged.unitForgetBias === undefined ? true : merged.unitForgetBias === true;
  }

  protected biasSpec(): { shape: number[]; initializer: InitId } {
    const u = this.units;
    if (!this.unitForgetBias) return { shape: [4 * u], initializer: this.biasInitializer };
    const b = this.biasInitializer;
    const init = new BlockInitializer([
      { size: u, init: b },
      { size: u, init: initializers.get('ones') },
      { size: 2 * u, init: b },
    ]);
    return { shape: [4 * u], initializer: init };
  }

  protected run(x: Tensor, options: RecurrentOptions): Tensor {
    const rec = cellCode(this.recurrentActivation, this.where);
    return lstm(x, this.kernel!, this.recurrentKernel!, this.bias, { ...options, recurrentActivation: rec.code });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrent_activation: activations.serialize(this.recurrentActivation),
      unit_forget_bias: this.unitForgetBias,
    };
  }
}

registerLayer(LSTM);
