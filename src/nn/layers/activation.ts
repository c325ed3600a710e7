/** Activation: applies an activation function as its own layer (e.g. after BatchNormalization). */
import type { Tensor } from '../../tensor/tensor.js';
import * as activations from '../activations.js';
import { Layer, type CallContext, type LayerArgs } from './layer.js';

export class Activation extends Layer {
  readonly className = 'Activation';
  readonly activation: activations.ActivationFunction;

  /** @example new layers.Activation('elu') */
  constructor(activation: activations.ActivationIdentifier | activations.ActivationFunction, args: LayerArgs = {}) {
    super(args, 'activation');
    if (activation === undefined || activation === null) throw new Error(`Activation '${this.name}': the activation argument is required`);
    this.activation = activations.get(activation, `Activation '${this.name}'`);
  }

  call(x: Tensor, _ctx: CallContext): Tensor { return this.activation(x); }

  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), activation: this.activation.spec.name }; }
}
