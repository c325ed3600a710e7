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

  /**
   * An elementwise activation maps the moments by Gauss–Hermite quadrature; a softmax over the
   * last axis (as the output of a linear Dense) gives the softmax moments and, under cross-entropy,
   * E‖p − y‖² at its input logits.
   */
  override momentRule(x: Moments, tools: MomentTools): MomentStep | null {
    const spec = this.activation.spec;
    if (spec.code !== 'softmax') return activationStep({ code: spec.code, param: spec.param }, x, tools);
    const units = this.builtInputShape?.at(-1);
    if (units === undefined) return null;
    const variance = Math.max(0, x.second - x.mean ** 2);
    const sm = tools.softmax(x.mean, variance, units);
    return {
      preMean: x.mean,
      preVariance: variance,
      out: { mean: 1 / units, second: sm.outputVariance + 1 / units ** 2, cross: 1 / units ** 2 },
      d2: 1,
      softmaxDelta2: sm.deltaSecondMoment,
      backward: (g2) => g2,
      kernelFactor: null,
    };
  }

  override tfjsEntries(config: Record<string, unknown>, taken: Set<string>): LayerEntry[] {
    return tfjsActivationEntries(this, config, taken, true);
  }
}

registerLayer(Activation);
