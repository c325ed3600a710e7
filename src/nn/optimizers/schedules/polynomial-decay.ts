/**
 * PolynomialDecay (Keras 3): (initial − end)·(1 − s/d)^power + end with s = min(step, decaySteps), d = decaySteps;
 * with `cycle`, s = step and d = decaySteps·⌈step / decaySteps⌉ (d = decaySteps at step 0).
 */
import { checkArgs, type ArgSpec } from '../../../util/args.js';
import { DECAY_STEPS_RULE, INITIAL_LR_RULE, LearningRateSchedule, checkStep, requireOptions } from './schedule.js';

export interface PolynomialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** The rate reached after decaySteps. Default 0.0001. */
  endLearningRate?: number;
  /** Default 1 (linear). */
  power?: number;
  /** Restart the decay every decaySteps (from a higher rate each time). Default false. */
  cycle?: boolean;
  name?: string;
}

export const POLYNOMIAL_DECAY_SPEC: ArgSpec = {
  initialLearningRate: INITIAL_LR_RULE,
  decaySteps: DECAY_STEPS_RULE,
  endLearningRate: { type: 'number', min: 0, help: 'the end learning rate is the rate after decaySteps, ≥ 0.' },
  power: { type: 'number', min: 0, help: 'the power of the polynomial: 1 decays linearly, 0.5 as a square root.' },
  cycle: { type: 'boolean' },
  name: { type: 'string' },
};

export class PolynomialDecay extends LearningRateSchedule {
  readonly className = 'PolynomialDecay';

  override rateKeys(): readonly string[] {
    return ['initial_learning_rate', 'end_learning_rate'];
  }
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string;

  constructor(args: PolynomialDecayArgs) {
    super();
    args = checkArgs(args, POLYNOMIAL_DECAY_SPEC, 'PolynomialDecay');
    requireOptions(args, ['initialLearningRate', 'decaySteps'], POLYNOMIAL_DECAY_SPEC, 'PolynomialDecay');
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = args.decaySteps;
    this.endLearningRate = args.endLearningRate ?? 0.0001;
    this.power = args.power ?? 1;
    this.cycle = args.cycle ?? false;
    this.name = args.name ?? 'PolynomialDecay';
  }

  call(step: number): number {
    checkStep(step, this.className);
    let s = step,
      d = this.decaySteps;
    if (this.cycle) d *= step === 0 ? 1 : Math.ceil(step / this.decaySteps);
    else s = Math.min(s, d);
    const p = s / d;
    return (this.initialLearningRate - this.endLearningRate) * (1 - p) ** this.power + this.endLearningRate;
  }

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      end_learning_rate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
      name: this.name,
    };
  }
}
