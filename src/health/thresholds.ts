/**
 * The doctor's thresholds (symptoms, lint rules, theory, live findings), all here, with where each comes from.
 * AUTOTRAINER (Zhang et al.,
 * ICSE 2021) values are read from its public implementation
 * (shiningrain/AUTOTRAINER, AutoTrainer/utils/monitor.py, default_param):
 * β1 = 1e-3, β2 = 1e-4, β3 = 70, γ = 0.7, NaN or loss ≥ 1e5. The rest are ours,
 * tuned on test/cases/ (see test/doctor/diagnosis.test.ts) and marked [ours].
 */
export const THRESHOLDS = {
  /** AUTOTRAINER β1: ‖∇W_first‖/‖∇W_last‖ below this (together with β2) is vanishing. */
  vanishRatio: 1e-3,
  /** AUTOTRAINER β2: … and the first layer's kernel-gradient norm below this. */
  vanishFirstNorm: 1e-4,
  /** AUTOTRAINER β3: ‖∇W_first‖/‖∇W_last‖ above this is exploding. */
  explodeRatio: 70,
  /** [ours] A global gradient norm above this is exploding, whatever the ratio (Pascanu et al. 2013 clip at 0.5–10×
   * the usual norm, which is O(1) here). */
  explodeGlobalNorm: 1e3,
  /** [ours] Global norm growing this many times over the trial while the loss rises is exploding. */
  explodeGrowth: 100,
  /** [ours] A loss ending this many times above where it started, while the global norm grew ≥ divergeGrowth×, is
   * divergence from too-large steps (exploding updates). */
  divergeLossFactor: 2,
  divergeGrowth: 3,
  /**
   * [ours] AUTOTRAINER's β3 and β1 applied through time instead of depth:
   * ‖∂L/∂h_0‖/‖∂L/∂h_{T−1}‖ above
   * explodeTimeRatio is exploding through time, below vanishTimeRatio vanishing (Pascanu et al. 2013 §2: the
   * product of T − 1 recurrent Jacobians).
   */
  explodeTimeRatio: 70,
  vanishTimeRatio: 1e-3,
  /** AUTOTRAINER: a loss at or above this counts as NaN/Inf. */
  nanLoss: 1e5,
  /** AUTOTRAINER γ = 0.7 on zero gradients; [ours] applied to the fraction of dead ReLU units in a layer. */
  deadLayerFraction: 0.7,
  /** [ours] mean dead fraction over all ReLU layers. */
  deadMeanFraction: 0.4,
  /** [ours] fraction of saturated outputs in a sigmoid/tanh layer (Glorot & Bengio 2010 Fig. 2–4 show top layers
   * pinned at 0 or ±1). */
  saturatedFraction: 0.5,
  /** [ours] SELU layer outputs must stay near the fixed point; Klambauer et al. Theorem 1's domain is |μ| ≤ 0.1, ν
   * ∈ [0.8, 1.5], we allow more. */
  seluMeanBound: 0.3,
  seluVarianceRange: [0.5, 2] as const,
  /** [ours] Lint: a kernel gain n·E[w²] this many times above the variance-preserving one multiplies the variance by
   * ≥ this per layer. */
  largeGain: 8,
  /** [ours] Lint: a gain this many times below LeCun's divides the variance by ≥ 4 per layer. */
  smallGain: 0.25,
  /**
   * [ours] Depths from which a saturating stack without normalization is flagged. Sigmoid:
   * 5 layers already stall on the teacher task (paper-results.md §1: stuck at 0.302 with
   * either init); tanh/softsign with Glorot still train at 10 layers, so they are flagged from 15.
   */
  sigmoidDepth: 5,
  tanhDepth: 15,
  /**
   * He et al. 2016 (Fig. 1, Table 2): plain stacks of 20+ weighted layers train worse than shallower ones, and
   * identity shortcuts fix it. A vanishing finding on a stack at least this deep without skip connections
   * offers residual connections.
   */
  residualDepth: 20,
  /** [ours] Theory: a change of the forward variance by this factor across the hidden layers. */
  forwardDrift: 1e4,
  /** [ours] Live findings: loss_not_decreasing is not reported before this many steps. */
  liveLossMinSteps: 100,
  /** [ours] relative loss decrease between the first and last 10% of the trial below which the loss is "not decreasing"
   * (or below 2 standard errors of batch noise, if larger). */
  minLossDecrease: 0.02,
  /** [ours] A held-out loss below this fraction of the trivial baseline's means the network learned: a flat
   * training loss then is a plateau, not a failure. */
  learnedLossRatio: 0.7,
  /** [ours] A final training loss within this factor of the trivial baseline's has learned the average answer. */
  baselineMatch: 1.1,
  /** [ours] Oscillating loss: coefficient of variation of the batch loss over the trial's second half above this,
   * with no downward trend... */
  oscillationCv: 0.5,
  /** [ours] ... and a held-out loss above this fraction of the trivial baseline's. */
  oscillationLossRatio: 0.8,
  /** [ours] Dead units at small batches: a unit is dead when it outputs 0 for every example of a window of at least
   * this many examples (pooled over consecutive sampled steps when the batch is smaller). */
  deadWindowRows: 16,
};
