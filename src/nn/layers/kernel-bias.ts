/**
 * The kernel and bias options Dense and the convolutions share (Keras's Dense / BaseConv arguments): their
 * typed options, their argSpec entries, resolving them once, and writing them back as Keras config keys.
 */
import * as initializers from '../initializers/index.js';
import * as regularizers from '../regularizers.js';
import * as constraints from '../constraints.js';
import type { KerasObject } from '../keras-config.js';
import type { LayerArgSpec } from './layer.js';

type InitId = initializers.InitializerIdentifier | KerasObject | initializers.Initializer;

export interface KernelBiasArgs {
  /** Kernel initializer. Default 'glorot_uniform' (Keras's default). */
  kernelInitializer?: InitId;
  /** Bias initializer. Default 'zeros'. */
  biasInitializer?: InitId;
  /** Penalty on the kernel, e.g. 'l2' or `regularizers.l2(1e-4)`. Default none. */
  kernelRegularizer?: regularizers.RegularizerLike;
  /** Penalty on the bias. Default none. */
  biasRegularizer?: regularizers.RegularizerLike;
  /** Constraint on the kernel after each update, e.g. `constraints.maxNorm({ maxValue: 3 })` (per unit). */
  kernelConstraint?: constraints.ConstraintLike;
  /** Constraint on the bias after each update. */
  biasConstraint?: constraints.ConstraintLike;
}

export const KERNEL_BIAS_ARG_SPEC: LayerArgSpec = {
  kernelInitializer: { type: 'any' },
  biasInitializer: { type: 'any' },
  kernelRegularizer: { type: 'any' },
  biasRegularizer: { type: 'any' },
  kernelConstraint: { type: 'any' },
  biasConstraint: { type: 'any' },
};

/** The resolved kernel and bias options. */
export interface KernelBias {
  kernelInitializer: initializers.Initializer;
  biasInitializer: initializers.Initializer;
  kernelRegularizer: regularizers.Regularizer | null;
  biasRegularizer: regularizers.Regularizer | null;
  kernelConstraint: constraints.Constraint | null;
  biasConstraint: constraints.Constraint | null;
}

/** Resolves the options (Keras's defaults: glorot_uniform kernel, zeros bias); `where` names the layer. */
export function kernelBias(args: KernelBiasArgs, where: string): KernelBias {
  const at = (what: string) => `${where} ${what}`;
  return {
    kernelInitializer: initializers.get(args.kernelInitializer ?? 'glorot_uniform', at('kernelInitializer')),
    biasInitializer: initializers.get(args.biasInitializer ?? 'zeros', at('biasInitializer')),
    kernelRegularizer: regularizers.get(args.kernelRegularizer, at('kernelRegularizer')),
    biasRegularizer: regularizers.get(args.biasRegularizer, at('biasRegularizer')),
    kernelConstraint: constraints.get(args.kernelConstraint, at('kernelConstraint')),
    biasConstraint: constraints.get(args.biasConstraint, at('biasConstraint')),
  };
}

/** The Keras config keys, in Keras's order (activity_regularizer written even when null, as Dense/Conv do). */
export function kernelBiasConfig(
  layer: KernelBias & { activityRegularizer: regularizers.Regularizer | null },
): Record<string, unknown> {
  return {
    kernel_initializer: initializers.serialize(layer.kernelInitializer),
    bias_initializer: initializers.serialize(layer.biasInitializer),
    kernel_regularizer: regularizers.serialize(layer.kernelRegularizer),
    bias_regularizer: regularizers.serialize(layer.biasRegularizer),
    activity_regularizer: regularizers.serialize(layer.activityRegularizer),
    kernel_constraint: constraints.serialize(layer.kernelConstraint),
    bias_constraint: constraints.serialize(layer.biasConstraint),
  };
}
