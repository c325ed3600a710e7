/**
 * Embedding (Keras 3): integer ids [batch, ...] → rows of a table `embeddings` [inputDim, outputDim]. Float ids are
 * truncated toward zero (Keras casts to int32); an id outside [0, inputDim) is an error. The gradient of a row adds
 * up over every occurrence of its id. maskZero is not supported (Keel has no masks yet).
 */
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../autograd/variable.js';
import { gather } from '../../ops/gather.js';
import * as initializers from '../initializers/index.js';
import * as regularizers from '../regularizers.js';
import * as constraints from '../constraints.js';
import type { KerasObject } from '../keras-config.js';
import {
  Layer,
  checkPositiveInteger,
  type CallContext,
  type LayerArgs,
  type LayerArgSpec,
  type LayerFacts,
  type WeightSpec,
} from './layer.js';
import type { LayerEntry } from '../serialization/tfjs-activation.js';
import { registerLayer } from './serialize.js';

type InitId = initializers.InitializerIdentifier | KerasObject | initializers.Initializer;

export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: ids run over [0, inputDim) (also the first constructor argument). */
  inputDim?: number;
  /** Width of each embedding (also the second constructor argument). */
  outputDim?: number;
  /** Default 'uniform' (Keras: RandomUniform(−0.05, 0.05)). */
  embeddingsInitializer?: InitId;
  embeddingsRegularizer?: regularizers.RegularizerLike;
  activityRegularizer?: regularizers.RegularizerLike;
  embeddingsConstraint?: constraints.ConstraintLike;
  /** Keras 2 / TF.js: the sequence length; accepted and kept. */
  inputLength?: number | null;
}

export class Embedding extends Layer {
  static readonly className = 'Embedding';
  static readonly argSpec: LayerArgSpec = {
    inputDim: { type: 'any' },
    outputDim: { type: 'any' },
    embeddingsInitializer: { type: 'any' },
    embeddingsRegularizer: { type: 'any' },
    activityRegularizer: { type: 'any' },
    embeddingsConstraint: { type: 'any' },
    inputLength: { type: 'number', integer: true, min: 1, nullable: true },
    maskZero: 'unsupported',
    weights: 'unsupported',
    loraRank: 'unsupported',
    loraAlpha: 'unsupported',
    sparse: 'unsupported',
  };
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: initializers.Initializer;
  readonly embeddingsRegularizer: regularizers.Regularizer | null;
  readonly embeddingsConstraint: constraints.Constraint | null;
  readonly inputLength: number | null;
  embeddings: Variable | null = null;

  /** @example new layers.Embedding(1000, 64, { inputShape: [20] }) */
  constructor(inputDim: number | EmbeddingArgs, outputDim?: number, args: EmbeddingArgs = {}) {
    const merged: EmbeddingArgs =
      typeof inputDim === 'object' && inputDim !== null ? inputDim : { ...args, inputDim, outputDim };
    super(merged);
    this.inputDim = checkPositiveInteger(merged.inputDim, 'inputDim', this.where);
    this.outputDim = checkPositiveInteger(merged.outputDim, 'outputDim', this.where);
    this.embeddingsInitializer = initializers.get(
      merged.embeddingsInitializer ?? { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05 } },
      `${this.where} embeddingsInitializer`,
    );
    this.embeddingsRegularizer = regularizers.get(merged.embeddingsRegularizer, `${this.where} embeddingsRegularizer`);
    this.embeddingsConstraint = constraints.get(merged.embeddingsConstraint, `${this.where} embeddingsConstraint`);
    this.inputLength = merged.inputLength ?? null;
  }

  override weightSpecs(): WeightSpec[] {
    return [
      {
        name: 'embeddings',
        shape: [this.inputDim, this.outputDim],
        initializer: this.embeddingsInitializer,
        regularizer: this.embeddingsRegularizer,
        constraint: this.embeddingsConstraint,
      },
    ];
  }

  override build(inputShape: number[]): void {
    this.embeddings = this.createWeights(inputShape).embeddings!;
    super.build(inputShape);
  }

  call(x: Tensor, _ctx: CallContext): Tensor {
    return gather(this.embeddings!, x, this.where);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return [...inputShape, this.outputDim];
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      ...super.getConfig(),
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: initializers.serialize(this.embeddingsInitializer),
      embeddings_regularizer: regularizers.serialize(this.embeddingsRegularizer),
      activity_regularizer: regularizers.serialize(this.activityRegularizer),
      embeddings_constraint: constraints.serialize(this.embeddingsConstraint),
      mask_zero: false,
    };
    if (this.inputLength !== null) config.input_length = this.inputLength;
    return config;
  }

  override tfjsEntries(config: Record<string, unknown>, _taken: Set<string>): LayerEntry[] {
    return [{ class_name: this.className, config: this.tfjsPenalties(config) }];
  }

  override doctorFacts(): LayerFacts {
    return { role: 'embedding', fullyConnected: false };
  }

  /** A lookup has no moment rule over its (integer) input: the theory names it as unknown. */
  override momentRule(): null {
    return null;
  }
}

registerLayer(Embedding);
