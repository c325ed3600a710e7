/**
 * PiecewiseConstantDecay (Keras 3): values[0] while step ≤ boundaries[0], values[i] while
 * boundaries[i−1] < step ≤ boundaries[i], values[last] once step > boundaries[last].
 */
import { checkArgs, type ArgSpec } from '../../../util/args.js';
import { LearningRateSchedule, checkNumberList, checkStep, requireOptions } from './schedule.js';

export interface PiecewiseConstantDecayArgs {
  /** Strictly increasing step counts. */
  boundaries: number[];
  /** One more value than boundaries: the rate before, between and after them. */
  values: number[];
  name?: string;
}

export const PIECEWISE_CONSTANT_DECAY_SPEC: ArgSpec = {
  boundaries: { type: 'any' },
  values: { type: 'any' },
  name: { type: 'string' },
};

export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly className = 'PiecewiseConstantDecay';

  override rateKeys(): readonly string[] {
    return ['values'];
  }
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
  readonly name: string;

  /**
   * @example
   *   new optimizers.schedules.PiecewiseConstantDecay({ boundaries: [100, 200], values: [0.1, 0.01, 0.001] })
   */
  constructor(args: PiecewiseConstantDecayArgs) {
    super();
    const where = 'PiecewiseConstantDecay';
    args = checkArgs(args, PIECEWISE_CONSTANT_DECAY_SPEC, where);
    requireOptions(args, ['boundaries', 'values'], PIECEWISE_CONSTANT_DECAY_SPEC, where);
    const boundaries = checkNumberList(args.boundaries, 'boundaries', where);
    const values = checkNumberList(args.values, 'values', where);
    if (boundaries.length !== values.length - 1)
      throw new Error(
        `${where}: the length of boundaries should be 1 less than the length of values; received ` +
          `${boundaries.length} boundaries and ${values.length} values` +
          '\nhelp: values[0] applies up to boundaries[0], values[i] up to boundaries[i], the last value after ' +
          'the last boundary.',
      );
    const i = boundaries.findIndex((b, k) => k > 0 && !(b > boundaries[k - 1]!));
    if (i > 0)
      throw new Error(
        `Invalid boundaries for ${where}: expected strictly increasing numbers; received [${boundaries.join(', ')}]` +
          ` (boundaries[${i}] = ${boundaries[i]} ≤ boundaries[${i - 1}] = ${boundaries[i - 1]})`,
      );
    this.boundaries = boundaries;
    this.values = values;
    this.name = args.name ?? 'PiecewiseConstant';
  }

  call(step: number): number {
    checkStep(step, this.className);
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i]!;
  }

  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }
}
