/** Activation: applies an activation function as its own layer (e.g. after BatchNormalization). */
import type { Tensor } from '../../tensor/tensor.js';
import * as activations from '../activations.js';
import { tfjsActivationEntries, type LayerEntry } from '../serialization/tfjs-activation.js';
import { Layer, type CallContext, type LayerArgs, type LayerArgSpec, type LayerFacts } from './layer.js';
import { activationStep, type MomentStep, type MomentTools, type Moments } from './moments.js';
import { registerLayer } from './serialize.js';

export interface ActivationArgs extends LayerArgs {
  /** The function: a name, a function from `activations`, or a layer such as LeakyReLU (also the first argument). */
  activation?: activations.ActivationLike;
}

export class Activation extends Layer {
  static readonly className = 'Activation';
  static readonly argSpec: LayerArgSpec = { activation: { type: 'any' } };
  readonly activation: activations.ActivationFunction;

  /** @example new layers.Activation('elu') */
  constructor(activation: activations.ActivationLike | ActivationArgs, args: ActivationArgs = {}) {
    const isArgs =
      typeof activation === 'object' &&
      activation !== null &&
      !('class_name' in activation) &&
      !('asActivation' in activation);
    const merged: ActivationArgs = isArgs
      ? (activation as ActivationArgs)
      : { ...args, activation: activation as activations.ActivationLike };
    super(merged);
    if (merged.activation === undefined || merged.activation === null)
      throw new Error(`${this.where}: the activation argument is required`);
    this.activation = activations.get(merged.activation, this.where);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return this.activation(x);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: activations.serialize(this.activation) };
  }

  override activationSpec(): activations.ActivationSpec {
    return this.activation.spec;
  }

  override doctorFacts(): LayerFacts {
    return { role: 'activation', fullyConnected: true };
  }

  override momentRule(x: Moments, tools: MomentTools): MomentStep | null {
    const spec = this.activation.spec;
    // A softmax over an unknown number of units: no rule rather than a guess.
    return spec.code === 'softmax' ? null : activationStep({ code: spec.code, param: spec.param }, x, tools);
  }

  override tfjsEntries(config: Record<string, unknown>, taken: Set<string>): LayerEntry[] {
    return tfjsActivationEntries(this, config, taken, true);
  }
}

registerLayer(Activation);
