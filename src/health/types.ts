/**
 * Shared shapes of the gradient doctor: the probe's history (plain JSON, so
 * reports and the lab can chart it) and findings (lint, theory and symptoms).
 */

/** Statistics of one layer at one sampled training step. `null` where a quantity does not apply. */
export interface LayerStepStats {
  layer: string;
  className: string;
  /** The layer has a kernel (Layer.kernelWeight): its gradient is the one followed through depth. */
  hasKernel: boolean;
  /** Activation applied by the layer (Dense/Activation/ELU/...), or null. */
  activation: string | null;
  /** Mean and std of the layer's output over the batch and all units. */
  mean: number;
  std: number;
  /** Fraction of units whose output is exactly 0 for every example of the batch. */
  deadFraction: number;
  /** sigmoid/hard_sigmoid: fraction of outputs outside [0.01, 0.99]; tanh/softsign: beyond ±0.99. */
  saturatedFraction: number | null;
  /** L2 norm of the layer's main weight (kernel; gamma for BatchNormalization). */
  kernelNorm: number | null;
  /** L2 norm and element std of the main weight's gradient (before clipping). */
  gradNorm: number | null;
  gradStd: number | null;
  /** Fraction of exactly-zero entries in the main weight's gradient. */
  gradZeroFraction: number | null;
  /** ‖ΔW‖ / ‖W‖ of the main weight over this step's update (null if no update happened). */
  updateRatio: number | null;
  /** True if the output or the gradient held NaN or ±Inf. */
  nonFinite: boolean;
  /** Recurrent layers: ‖∂L/∂h_t‖ for t = 0 … T−1 the gradient norm through time. */
  gradNormsThroughTime?: number[];
  /** Recurrent layers: gated (LSTM, GRU), whose gates are trained to carry the gradient through time. */
  gated?: boolean;
  /** Layers with channels-last feature maps (convolutions, pooling, BN on images): statistics per channel. */
  channels?: ChannelStats;
}

/** One layer's output per channel, over the batch and every position (health/channel-stats.ts). */
export interface ChannelStats {
  mean: number[];
  std: number[];
  /** Channels exactly 0 for every example and position. */
  dead: number[];
}

export interface StepRecord {
  step: number;
  epoch: number;
  loss: number;
  /** L2 norm of all trainable gradients together (before clipping). */
  globalGradNorm: number;
  layers: LayerStepStats[];
  /** What was NaN/Inf at this step: 'loss', 'output:<layer>', 'gradient:<layer>'. */
  nonFinite: string[];
}

/** What a GradientMonitor recorded. JSON-serializable (non-finite numbers are kept as NaN/Infinity in memory; use
 * `historyToJSON` to write). */
export interface ProbeHistory {
  every: number;
  /** Sampled steps with per-layer statistics. */
  steps: StepRecord[];
  /** Every step's batch loss, in step order. */
  losses: number[];
  /** Step at which fit() stopped because the loss or a weight became NaN/Inf (null if it did not). */
  nonFiniteStop: number | null;
}

export type SymptomKind =
  | 'vanishing_gradient'
  | 'exploding_gradient'
  | 'dying_relu'
  | 'saturated_activation'
  | 'nan_or_inf'
  | 'broken_self_normalization'
  | 'loss_not_decreasing'
  | 'oscillating_loss';

/** Kinds only static rules produce (advice that does not stop training by itself). */
export type AdviceKind =
  | 'redundant_bias'
  | 'variance_shift'
  | 'non_smooth_activation'
  | 'unknown_layer'
  | 'batch_norm_in_recurrent_stack'
  /** The output layer's activation does not suit the loss (softmax with one unit, tanh output for a class, ...). */
  | 'output_loss_mismatch'
  /** BatchNormalization where it cannot work: after the output layer, or with batches of a few examples. */
  | 'batch_norm_misuse'
  /** Dropout that removes most of the signal of a narrow layer. */
  | 'excessive_dropout'
  /** Inputs or regression targets on scales the network's initialization does not expect. */
  | 'unscaled_data';

export type FindingKind = SymptomKind | AdviceKind;

/** error: stops the network from training; warning: slows or biases it; info: worth knowing. */
export type Severity = 'error' | 'warning' | 'info';

export type RemedyId =
  | 'matching_initializer'
  | 'non_saturating_activation'
  | 'batch_normalization'
  | 'gradient_clipping'
  | 'learning_rate_warmup'
  | 'max_norm'
  | 'smaller_learning_rate'
  | 'larger_learning_rate'
  | 'alpha_dropout'
  | 'self_normalizing'
  | 'remove_bias_before_batch_norm'
  | 'dropout_after_batch_norm'
  | 'elu_alpha_one'
  | 'residual_connections'
  | 'orthogonal_recurrent_init'
  | 'gated_recurrent'
  | 'layer_normalization'
  | 'fix_output_layer'
  | 'remove_misplaced_batch_norm'
  | 'standardize_inputs'
  | 'standardize_targets'
  | 'larger_batch'
  | 'lower_dropout'
  | 'adam_optimizer';

export interface Remedy {
  id: RemedyId;
  fix: string;
}

export interface Finding {
  kind: FindingKind;
  /** Stable rule code, e.g. 'L-SELU-INIT' or 'S-VANISH'. */
  code: string;
  severity: Severity;
  /** Names of the layers concerned (empty for the whole model). */
  layers: string[];
  /** Where it comes from: a static rule, the variance theory, or the trial run. */
  source: 'lint' | 'theory' | 'trial' | 'data';
  /** The reason, in one sentence. */
  message: string;
  /** Numbers behind the finding (per layer where it applies). */
  evidence: Record<string, unknown>;
  remedies: Remedy[];
  /** First step the probe saw it (trial findings). */
  step?: number;
  /** In plain words: why this stops the network from learning (filled in by the doctor's root-cause pass). */
  why?: string;
  /** The one change to make first, in plain words. */
  firstChange?: string;
  /** Root-cause ranking: the primary cause, a consequence of it, or a separate matter. */
  role?: 'primary' | 'consequence' | 'independent';
  /** For a consequence: the code of the primary cause it follows from. */
  causedBy?: string;
}

export const SEVERITY_RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };
