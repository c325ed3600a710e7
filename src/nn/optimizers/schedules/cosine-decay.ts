/**
 * CosineDecay with optional linear warm-up, and CosineDecayRestarts (SGDR, Loshchilov & Hutter 2016),
 * Keras 3 formulas. Cosine factor over a fraction f of a period: (1 − α)·½(1 + cos πf) + α.
 *
 * CosineDecay: without warmupTarget, initialLearningRate·factor(min(step, decaySteps)/decaySteps). With
 * warmupTarget, s = min(step, warmupSteps + decaySteps): while s < warmupSteps the rate rises linearly from
 * initialLearningRate to warmupTarget; then warmupTarget·factor((s − warmupSteps)/decaySteps).
 *
 * CosineDecayRestarts: period i lasts firstDecaySteps·tMulⁱ steps and starts at mMulⁱ·initialLearningRate.
 */
import { checkArgs, type ArgRule, type ArgSpec } from '../../../util/args.js';
import { DECAY_STEPS_RULE, INITIAL_LR_RULE, LearningRateSchedule, checkStep, requireOptions } from './schedule.js';

const ALPHA_RULE: ArgRule = {
  type: 'number',
  min: 0,
  max: 1,
  help: 'alpha is the final rate as a fraction of the starting rate; 0 decays to zero.',
};

/** ½(1 + cos πf) scaled into [α, 1]. */
function cosineFactor(fraction: number, alpha: number, scale = 1): number {
  return (1 - alpha) * (0.5 * scale * (1 + Math.cos(Math.PI * fraction))) + alpha;
}

export interface CosineDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** The final rate as a fraction of the rate the decay starts from. Default 0. */
  alpha?: number;
  name?: string;
  /** Warm up linearly from initialLearningRate to this rate, then decay from it. Default null (no warm-up). */
  warmupTarget?: number | null;
  /** Length of the warm-up in steps. Default 0. */
  warmupSteps?: number;
}

export const COSINE_DECAY_SPEC: ArgSpec = {
  initialLearningRate: INITIAL_LR_RULE,
  decaySteps: DECAY_STEPS_RULE,
  alpha: ALPHA_RULE,
  name: { type: 'string' },
  warmupTarget: {
    type: 'number',
    min: 0,
    nullable: true,
    help: 'warmupTarget is the rate reached at the end of the warm-up; null skips the warm-up.',
  },
  warmupSteps: { type: 'number', min: 0, help: 'warmupSteps is the length of the warm-up in steps, ≥ 0.' },
};

export class CosineDecay extends LearningRateSchedule {
  readonly className = 'CosineDecay';

  override rateKeys(): readonly string[] {
    return ['initial_learning_rate', 'warmup_target'];
  }
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly name: string;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  /**
   * @example
   *   // warm up from 0 to 0.1 over 100 steps, then decay over 1000
   *   new optimizers.schedules.CosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 0.1,
   *     warmupSteps: 100 })
   */
  constructor(args: CosineDecayArgs) {
    super();
    args = checkArgs(args, COSINE_DECAY_SPEC, 'CosineDecay');
    requireOptions(args, ['initialLearningRate', 'decaySteps'], COSINE_DECAY_SPEC, 'CosineDecay');
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = args.decaySteps;
    this.alpha = args.alpha ?? 0;
    this.name = args.name ?? 'CosineDecay';
    this.warmupTarget = args.warmupTarget ?? null;
    this.warmupSteps = args.warmupSteps ?? 0;
  }

  call(step: number): number {
    checkStep(step, this.className);
    const d = this.decaySteps;
    if (this.warmupTarget === null) return this.initialLearningRate * cosineFactor(Math.min(step, d) / d, this.alpha);
    const w = this.warmupSteps,
      target = this.warmupTarget;
    const s = Math.min(step, d + w);
    if (s < w) return (target - this.initialLearningRate) * (s / w) + this.initialLearningRate;
    return target * cosineFactor((s - w) / d, this.alpha);
  }

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      alpha: this.alpha,
      name: this.name,
      warmup_target: this.warmupTarget,
      warmup_steps: this.warmupSteps,
    };
  }
}

export interface CosineDecayRestartsArgs {
  initialLearningRate: number;
  /** Length of the first period in steps. */
  firstDecaySteps: number;
  /** Each period is tMul times longer than the previous one. Default 2. */
  tMul?: number;
  /** Each period starts at mMul times the previous period's starting rate. Default 1. */
  mMul?: number;
  /** The rate at the end of a period as a fraction of its starting rate. Default 0. */
  alpha?: number;
  name?: string;
}

export const COSINE_DECAY_RESTARTS_SPEC: ArgSpec = {
  initialLearningRate: INITIAL_LR_RULE,
  firstDecaySteps: {
    type: 'number',
    min: 0,
    minExclusive: true,
    help: 'firstDecaySteps is the length of the first period in steps and must be > 0.',
  },
  tMul: {
    type: 'number',
    min: 0,
    minExclusive: true,
    help: 'tMul is the growth of the period length per restart; 2 doubles it, 1 keeps it.',
  },
  mMul: { type: 'number', min: 0, help: 'mMul scales the starting rate of each period; 1 keeps it.' },
  alpha: ALPHA_RULE,
  name: { type: 'string' },
};

export class CosineDecayRestarts extends LearningRateSchedule {
  readonly className = 'CosineDecayRestarts';

  override rateKeys(): readonly string[] {
    return ['initial_learning_rate'];
  }
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;
  readonly name: string;

  constructor(args: CosineDecayRestartsArgs) {
    super();
    args = checkArgs(args, COSINE_DECAY_RESTARTS_SPEC, 'CosineDecayRestarts');
    requireOptions(args, ['initialLearningRate', 'firstDecaySteps'], COSINE_DECAY_RESTARTS_SPEC, 'CosineDecayRestarts');
    this.initialLearningRate = args.initialLearningRate;
    this.firstDecaySteps = args.firstDecaySteps;
    this.tMul = args.tMul ?? 2;
    this.mMul = args.mMul ?? 1;
    this.alpha = args.alpha ?? 0;
    this.name = args.name ?? 'SGDRDecay';
  }

  call(step: number): number {
    checkStep(step, this.className);
    let fraction = step / this.firstDecaySteps;
    let restart: number;
    if (this.tMul === 1) {
      restart = Math.floor(fraction);
      fraction -= restart;
    } else {
      // Periods 0..i−1 cover (1 − tMulⁱ)/(1 − tMul) first periods.
      restart = Math.floor(Math.log(1 - fraction * (1 - this.tMul)) / Math.log(this.tMul));
      const done = (1 - this.tMul ** restart) / (1 - this.tMul);
      fraction = (fraction - done) / this.tMul ** restart;
    }
    return this.initialLearningRate * cosineFactor(fraction, this.alpha, this.mMul ** restart);
  }

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      first_decay_steps: this.firstDecaySteps,
      t_mul: this.tMul,
      m_mul: this.mMul,
      alpha: this.alpha,
      name: this.name,
    };
  }
}
