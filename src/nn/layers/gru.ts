/**
 * GRU (Cho et al. 2014; Keras 3 semantics), gates z, r, h (PyTorch orders them r, z, n). resetAfter (default true,
 * the cuDNN form): ĥ = act(x·W_h + b_h + r·(h_{t−1}·U_h + b'_h)) with a bias [2, 3u] (input row, recurrent row);
 * resetAfter false: ĥ = act(x·W_h + (r·h_{t−1})·U_h + b_h) with a bias [3u].
 * Then h_t = z·h_{t−1} + (1 − z)·ĥ.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { gru, type RecurrentOptions } from '../../ops/recurrent.js';
import * as activations from '../activations.js';
import { RECURRENT_ARG_SPEC, RecurrentLayer, cellCode, type InitId, type RecurrentArgs } from './recurrent.js';
import type { LayerArgSpec } from './layer.js';
import { registerLayer } from './serialize.js';

export interface GRUArgs extends RecurrentArgs {
  /** The gates' activation. Default 'sigmoid' (Keras 3). */
  recurrentActivation?: activations.ActivationLike | null;
  /** Apply the reset gate after the recurrent product (Keras 3 default true; false is the 2014 paper's form). */
  resetAfter?: boolean;
}

export class GRU extends RecurrentLayer {
  static readonly className = 'GRU';
  static readonly argSpec: LayerArgSpec = {
    ...RECURRENT_ARG_SPEC,
    recurrentActivation: { type: 'any' },
    resetAfter: { type: 'boolean' },
  };
  protected readonly gateCount = 3;
  readonly recurrentActivation: activations.ActivationFunction;
  readonly resetAfter: boolean;

  /** @example new layers.GRU(32, { returnSequences: true, inputShape: [100, 8] }) */
  constructor(units: number | GRUArgs, args: GRUArgs = {}) {
    super(units, args);
    const merged: GRUArgs = typeof units === 'object' && units !== null ? units : args;
    this.recurrentActivation = activations.get(
      merged.recurrentActivation === undefined ? 'sigmoid' : merged.recurrentActivation,
      `${this.where} recurrentActivation`,
    );
    cellCode(this.recurrentActivation, `${this.where} recurrentActivation`);
    this.resetAfter = merged.resetAfter ?? true;
  }

  protected biasSpec(): { shape: number[]; initializer: InitId } {
    const u3 = 3 * this.units;
    return { shape: this.resetAfter ? [2, u3] : [u3], initializer: this.biasInitializer };
  }

  protected run(x: Tensor, options: RecurrentOptions): Tensor {
    const rec = cellCode(this.recurrentActivation, this.where);
    return gru(x, this.kernel!, this.recurrentKernel!, this.bias, {
      ...options,
      recurrentActivation: rec.code,
      resetAfter: this.resetAfter,
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      recurrent_activation: activations.serialize(this.recurrentActivation),
      reset_after: this.resetAfter,
    };
  }
}

registerLayer(GRU);
