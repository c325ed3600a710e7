/**
 * ExponentialDecay and InverseTimeDecay (Keras 3 `learning_rate_schedule.py`), with p = step / decaySteps
 * (⌊p⌋ when `staircase`): initialLearningRate·decayRate^p and initialLearningRate / (1 + decayRate·p).
 */
import { checkArgs, type ArgSpec } from '../../../util/args.js';
import { DECAY_STEPS_RULE, INITIAL_LR_RULE, LearningRateSchedule, checkStep, requireOptions } from './schedule.js';

export interface ExponentialDecayArgs {
  initialLearningRate: number;
  /** Steps per decay period (> 0). */
  decaySteps: number;
  /** The factor per period: the rate is multiplied by decayRate every decaySteps steps. */
  decayRate: number;
  /** Decay at whole periods only (⌊step / decaySteps⌋). Default false. */
  staircase?: boolean;
  name?: string;
}

export const EXPONENTIAL_DECAY_SPEC: ArgSpec = {
  initialLearningRate: INITIAL_LR_RULE,
  decaySteps: DECAY_STEPS_RULE,
  decayRate: {
    type: 'number',
    min: 0,
    minExclusive: true,
    help: 'the decay rate is the factor per decay period, e.g. 0.96 (< 1 decays, > 1 grows).',
  },
  staircase: { type: 'boolean' },
  name: { type: 'string' },
};

/** The shared shape of the two: p = step / decaySteps (⌊p⌋ with staircase), rate = initial · factor(p). */
abstract class StepDecay extends LearningRateSchedule {
  override rateKeys(): readonly string[] {
    return ['initial_learning_rate'];
  }

  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor(args: ExponentialDecayArgs, spec: ArgSpec, className: string) {
    super();
    args = checkArgs(args, spec, className);
    requireOptions(args, ['initialLearningRate', 'decaySteps', 'decayRate'], spec, className);
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = args.decaySteps;
    this.decayRate = args.decayRate;
    this.staircase = args.staircase ?? false;
    this.name = args.name ?? className;
  }

  /** The factor multiplying the initial rate at (possibly floored) progress p. */
  protected abstract factor(p: number): number;

  call(step: number): number {
    checkStep(step, this.className);
    const p = step / this.decaySteps;
    return this.initialLearningRate * this.factor(this.staircase ? Math.floor(p) : p);
  }

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

export class ExponentialDecay extends StepDecay {
  readonly className = 'ExponentialDecay';

  /**
   * @example
   *   new optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 })
   */
  constructor(args: ExponentialDecayArgs) {
    super(args, EXPONENTIAL_DECAY_SPEC, 'ExponentialDecay');
  }

  protected factor(p: number): number {
    return this.decayRate ** p;
  }
}

export interface InverseTimeDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** The rate is initialLearningRate / (1 + decayRate·step/decaySteps). */
  decayRate: number;
  staircase?: boolean;
  name?: string;
}

export const INVERSE_TIME_DECAY_SPEC: ArgSpec = {
  ...EXPONENTIAL_DECAY_SPEC,
  decayRate: {
    type: 'number',
    min: 0,
    help: 'the decay rate scales the step count in 1 + decayRate·step/decaySteps; 0 keeps the rate constant.',
  },
};

export class InverseTimeDecay extends StepDecay {
  readonly className = 'InverseTimeDecay';

  /** @example new optimizers.schedules.InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }) */
  constructor(args: InverseTimeDecayArgs) {
    super(args, INVERSE_TIME_DECAY_SPEC, 'InverseTimeDecay');
  }

  protected factor(p: number): number {
    return 1 / (1 + this.decayRate * p);
  }
}
